//! STIX 2.1 vocabularies (SPEC §10): open vocabularies, whose values are
//! suggestions (a miss is a warning), and enumerations, whose values are the
//! only ones allowed (a miss is an error).

/// One vocabulary or enumeration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Vocab {
    /// Its name in the specification, such as `malware-type-ov`.
    pub name: &'static str,
    /// The values it defines.
    pub values: &'static [&'static str],
    /// `true` for an open vocabulary (`-ov`), `false` for an enumeration.
    pub open: bool,
}

impl Vocab {
    /// Whether `value` is one of the defined values.
    pub fn contains(&self, value: &str) -> bool {
        self.values.contains(&value)
    }
}

macro_rules! vocabs {
    ($($(#[$doc:meta])* $id:ident = $name:literal, $open:literal, [$($v:literal),* $(,)?];)*) => {
        $( $(#[$doc])* pub const $id: Vocab = Vocab { name: $name, values: &[$($v),*], open: $open }; )*
    };
}

vocabs! {
    /// account-type-ov (§10.1).
    ACCOUNT_TYPE = "account-type-ov", true, ["facebook", "ldap", "nis", "openid", "radius", "skype",
        "tacacs", "twitter", "unix", "windows-local", "windows-domain"];
    /// attack-motivation-ov (§10.2).
    ATTACK_MOTIVATION = "attack-motivation-ov", true, ["accidental", "coercion", "dominance",
        "ideology", "notoriety", "organizational-gain", "personal-gain", "personal-satisfaction",
        "revenge", "unpredictable"];
    /// attack-resource-level-ov (§10.3).
    ATTACK_RESOURCE_LEVEL = "attack-resource-level-ov", true, ["individual", "club", "contest",
        "team", "organization", "government"];
    /// encryption-algorithm-enum (§10.4).
    ENCRYPTION_ALGORITHM = "encryption-algorithm-enum", false, ["AES-256-GCM", "ChaCha20-Poly1305",
        "mime-type-indicated"];
    /// extension-type-enum (§10.5).
    EXTENSION_TYPE = "extension-type-enum", false, ["new-sdo", "new-sco", "new-sro",
        "property-extension", "toplevel-property-extension"];
    /// grouping-context-ov (§10.6).
    GROUPING_CONTEXT = "grouping-context-ov", true, ["suspicious-activity", "malware-analysis",
        "unspecified"];
    /// hash-algorithm-ov (§10.7).
    HASH_ALGORITHM = "hash-algorithm-ov", true, ["MD5", "SHA-1", "SHA-256", "SHA-512", "SHA3-256",
        "SHA3-512", "SSDEEP", "TLSH"];
    /// identity-class-ov (§10.8).
    IDENTITY_CLASS = "identity-class-ov", true, ["individual", "group", "system", "organization",
        "class", "unknown"];
    /// implementation-language-ov (§10.9).
    IMPLEMENTATION_LANGUAGE = "implementation-language-ov", true, ["applescript", "bash", "c",
        "c++", "c#", "go", "java", "javascript", "lua", "objective-c", "perl", "php", "powershell",
        "python", "ruby", "scala", "swift", "typescript", "visual-basic", "x86-32", "x86-64"];
    /// indicator-type-ov (§10.10).
    INDICATOR_TYPE = "indicator-type-ov", true, ["anomalous-activity", "anonymization", "benign",
        "compromised", "malicious-activity", "attribution", "unknown"];
    /// industry-sector-ov (§10.11).
    INDUSTRY_SECTOR = "industry-sector-ov", true, ["agriculture", "aerospace", "automotive",
        "chemical", "commercial", "communications", "construction", "defense", "education",
        "energy", "entertainment", "financial-services", "government",
        "government-emergency-services", "government-local", "government-national",
        "government-public-services", "government-regional", "healthcare", "hospitality-leisure",
        "infrastructure", "infrastructure-dams", "infrastructure-nuclear", "infrastructure-water",
        "insurance", "manufacturing", "mining", "non-profit", "pharmaceuticals", "retail",
        "technology", "telecommunications", "transportation", "utilities"];
    /// infrastructure-type-ov (§10.12).
    INFRASTRUCTURE_TYPE = "infrastructure-type-ov", true, ["amplification", "anonymization",
        "botnet", "command-and-control", "control-system", "exfiltration", "firewall",
        "hosting-malware", "hosting-target-lists", "phishing", "reconnaissance",
        "routers-switches", "staging", "workstation", "unknown"];
    /// malware-result-ov (§10.13).
    MALWARE_RESULT = "malware-result-ov", true, ["malicious", "suspicious", "benign", "unknown"];
    /// malware-capabilities-ov (§10.14).
    MALWARE_CAPABILITIES = "malware-capabilities-ov", true, ["accesses-remote-machines",
        "anti-debugging", "anti-disassembly", "anti-emulation", "anti-memory-forensics",
        "anti-sandbox", "anti-vm", "captures-input-peripherals", "captures-output-peripherals",
        "captures-system-state-data", "cleans-traces-of-infection", "commits-fraud",
        "communicates-with-c2", "compromises-data-availability", "compromises-data-integrity",
        "compromises-system-availability", "controls-local-machine", "degrades-security-software",
        "degrades-system-updates", "determines-c2-server", "emails-spam", "escalates-privileges",
        "evades-av", "exfiltrates-data", "fingerprints-host", "hides-artifacts",
        "hides-executing-code", "infects-files", "infects-remote-machines",
        "installs-other-components", "persists-after-system-reboot", "prevents-artifact-access",
        "prevents-artifact-deletion", "probes-network-environment", "self-modifies",
        "steals-authentication-credentials", "violates-system-operational-integrity"];
    /// malware-type-ov (§10.15).
    MALWARE_TYPE = "malware-type-ov", true, ["adware", "backdoor", "bot", "bootkit", "ddos",
        "downloader", "dropper", "exploit-kit", "keylogger", "ransomware", "remote-access-trojan",
        "resource-exploitation", "rogue-security-software", "rootkit", "screen-capture", "spyware",
        "trojan", "unknown", "virus", "webshell", "wiper", "worm"];
    /// network-socket-address-family-enum (§10.16).
    SOCKET_ADDRESS_FAMILY = "network-socket-address-family-enum", false, ["AF_UNSPEC", "AF_INET",
        "AF_IPX", "AF_APPLETALK", "AF_NETBIOS", "AF_INET6", "AF_IRDA", "AF_BTH"];
    /// network-socket-type-enum (§10.17).
    SOCKET_TYPE = "network-socket-type-enum", false, ["SOCK_STREAM", "SOCK_DGRAM", "SOCK_RAW",
        "SOCK_RDM", "SOCK_SEQPACKET"];
    /// opinion-enum (§10.18).
    OPINION = "opinion-enum", false, ["strongly-disagree", "disagree", "neutral", "agree",
        "strongly-agree"];
    /// pattern-type-ov (§10.19).
    PATTERN_TYPE = "pattern-type-ov", true, ["stix", "pcre", "sigma", "snort", "suricata", "yara"];
    /// processor-architecture-ov (§10.20).
    PROCESSOR_ARCHITECTURE = "processor-architecture-ov", true, ["alpha", "arm", "ia-64", "mips",
        "powerpc", "sparc", "x86", "x86-64"];
    /// region-ov (§10.21).
    REGION = "region-ov", true, ["africa", "eastern-africa", "middle-africa", "northern-africa",
        "southern-africa", "western-africa", "americas", "latin-america-caribbean",
        "south-america", "caribbean", "central-america", "northern-america", "asia",
        "central-asia", "eastern-asia", "southern-asia", "south-eastern-asia", "western-asia",
        "europe", "eastern-europe", "northern-europe", "southern-europe", "western-europe",
        "oceania", "antarctica", "australia-new-zealand", "melanesia", "micronesia", "polynesia"];
    /// report-type-ov (§10.22).
    REPORT_TYPE = "report-type-ov", true, ["attack-pattern", "campaign", "identity", "indicator",
        "intrusion-set", "malware", "observed-data", "threat-actor", "threat-report", "tool",
        "vulnerability"];
    /// threat-actor-type-ov (§10.23).
    THREAT_ACTOR_TYPE = "threat-actor-type-ov", true, ["activist", "competitor", "crime-syndicate",
        "criminal", "hacker", "insider-accidental", "insider-disgruntled", "nation-state",
        "sensationalist", "spy", "terrorist", "unknown"];
    /// threat-actor-role-ov (§10.24).
    THREAT_ACTOR_ROLE = "threat-actor-role-ov", true, ["agent", "director", "independent",
        "infrastructure-architect", "infrastructure-operator", "malware-author", "sponsor"];
    /// threat-actor-sophistication-ov (§10.25).
    THREAT_ACTOR_SOPHISTICATION = "threat-actor-sophistication-ov", true, ["none", "minimal",
        "intermediate", "advanced", "expert", "innovator", "strategic"];
    /// tool-type-ov (§10.26).
    TOOL_TYPE = "tool-type-ov", true, ["denial-of-service", "exploitation", "information-gathering",
        "network-capture", "credential-exploitation", "remote-access", "vulnerability-scanning",
        "unknown"];
    /// windows-integrity-level-enum (§10.27).
    WINDOWS_INTEGRITY_LEVEL = "windows-integrity-level-enum", false, ["low", "medium", "high",
        "system"];
    /// windows-pebinary-type-ov (§10.28).
    WINDOWS_PEBINARY_TYPE = "windows-pebinary-type-ov", true, ["dll", "exe", "sys"];
    /// windows-registry-datatype-enum (§10.29).
    WINDOWS_REGISTRY_DATATYPE = "windows-registry-datatype-enum", false, ["REG_NONE", "REG_SZ",
        "REG_EXPAND_SZ", "REG_BINARY", "REG_DWORD", "REG_DWORD_BIG_ENDIAN",
        "REG_DWORD_LITTLE_ENDIAN", "REG_LINK", "REG_MULTI_SZ", "REG_RESOURCE_LIST",
        "REG_FULL_RESOURCE_DESCRIPTION", "REG_RESOURCE_REQUIREMENTS_LIST", "REG_QWORD",
        "REG_INVALID_TYPE"];
    /// windows-service-start-type-enum (§10.30).
    WINDOWS_SERVICE_START_TYPE = "windows-service-start-type-enum", false, ["SERVICE_AUTO_START",
        "SERVICE_BOOT_START", "SERVICE_DEMAND_START", "SERVICE_DISABLED", "SERVICE_SYSTEM_ALERT"];
    /// windows-service-type-enum (§10.31).
    WINDOWS_SERVICE_TYPE = "windows-service-type-enum", false, ["SERVICE_KERNEL_DRIVER",
        "SERVICE_FILE_SYSTEM_DRIVER", "SERVICE_WIN32_OWN_PROCESS", "SERVICE_WIN32_SHARE_PROCESS"];
    /// windows-service-status-enum (§10.32).
    WINDOWS_SERVICE_STATUS = "windows-service-status-enum", false, ["SERVICE_CONTINUE_PENDING",
        "SERVICE_PAUSE_PENDING", "SERVICE_PAUSED", "SERVICE_RUNNING", "SERVICE_START_PENDING",
        "SERVICE_STOP_PENDING", "SERVICE_STOPPED"];
    /// The relationship types the specification defines between its objects
    /// (§4, §5.1 "Relationships" tables); others are allowed but SHOULD NOT
    /// be used where one of these fits.
    RELATIONSHIP_TYPE = "relationship-type", true, ["attributed-to", "authored-by", "based-on",
        "beacons-to", "characterizes", "communicates-with", "compromises", "consists-of",
        "controls", "delivers", "derived-from", "downloads", "drops", "duplicate-of",
        "dynamic-analysis-of", "exfiltrates-to", "exploits", "has", "hosts", "impersonates",
        "indicates", "investigates", "located-at", "mitigates", "originates-from", "owns",
        "related-to", "remediates", "resolves-to", "static-analysis-of", "targets", "uses",
        "variant-of"];
}

/// The vocabulary that governs property `property` of objects of type
/// `object_type`, if any (top-level properties only).
pub fn for_property(object_type: &str, property: &str) -> Option<&'static Vocab> {
    Some(match (object_type, property) {
        ("grouping", "context") => &GROUPING_CONTEXT,
        ("identity", "identity_class") => &IDENTITY_CLASS,
        ("identity", "sectors") => &INDUSTRY_SECTOR,
        ("indicator", "indicator_types") => &INDICATOR_TYPE,
        ("indicator", "pattern_type") => &PATTERN_TYPE,
        ("infrastructure", "infrastructure_types") => &INFRASTRUCTURE_TYPE,
        ("intrusion-set" | "threat-actor", "resource_level") => &ATTACK_RESOURCE_LEVEL,
        ("intrusion-set" | "threat-actor", "primary_motivation" | "secondary_motivations") => {
            &ATTACK_MOTIVATION
        }
        ("threat-actor", "personal_motivations") => &ATTACK_MOTIVATION,
        ("location", "region") => &REGION,
        ("malware", "malware_types") => &MALWARE_TYPE,
        ("malware", "architecture_execution_envs") => &PROCESSOR_ARCHITECTURE,
        ("malware", "implementation_languages") => &IMPLEMENTATION_LANGUAGE,
        ("malware", "capabilities") => &MALWARE_CAPABILITIES,
        ("malware-analysis", "result") => &MALWARE_RESULT,
        ("opinion", "opinion") => &OPINION,
        ("report", "report_types") => &REPORT_TYPE,
        ("threat-actor", "threat_actor_types") => &THREAT_ACTOR_TYPE,
        ("threat-actor", "roles") => &THREAT_ACTOR_ROLE,
        ("threat-actor", "sophistication") => &THREAT_ACTOR_SOPHISTICATION,
        ("tool", "tool_types") => &TOOL_TYPE,
        ("relationship", "relationship_type") => &RELATIONSHIP_TYPE,
        ("artifact", "encryption_algorithm") => &ENCRYPTION_ALGORITHM,
        ("user-account", "account_type") => &ACCOUNT_TYPE,
        ("extension-definition", "extension_types") => &EXTENSION_TYPE,
        _ => return None,
    })
}

/// True for a value written the way open-vocabulary values should be:
/// lower case words joined by `-`.
pub fn is_lower_hyphenated(value: &str) -> bool {
    !value.is_empty()
        && value
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enumerations_and_open_vocabularies_are_distinguished() {
        assert!(!OPINION.open && OPINION.contains("strongly-agree"));
        assert!(!EXTENSION_TYPE.contains("sideways-extension"));
        assert!(MALWARE_TYPE.open && MALWARE_TYPE.contains("ransomware"));
        assert_eq!(for_property("opinion", "opinion"), Some(&OPINION));
        assert_eq!(for_property("malware", "name"), None);
        assert!(is_lower_hyphenated("command-and-control"));
        assert!(!is_lower_hyphenated("Command and Control"));
    }
}
