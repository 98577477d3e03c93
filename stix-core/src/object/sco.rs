//! The 18 STIX Cyber-observable Objects (SPEC §6). Predefined extensions
//! (`archive-ext`, `http-request-ext`, …) live in `common.extensions`.

use serde_json::{Map, Value};

use super::common::Hashes;
use crate::{Identifier, Timestamp};

string_enum! {
    /// `encryption_algorithm` values (SPEC §10.4, encryption-algorithm-enum).
    pub enum EncryptionAlgorithm ("encryption_algorithm") {
        /// AES-256-GCM
        Aes256Gcm = "AES-256-GCM",
        /// ChaCha20Poly1305
        ChaCha20Poly1305 = "ChaCha20Poly1305",
        /// mime-type-indicated
        MimeTypeIndicated = "mime-type-indicated",
    }
}

string_enum! {
    /// Windows registry value data types (SPEC §10.16,
    /// windows-registry-datatype-enum).
    pub enum WindowsRegistryDatatype ("data_type") {
        /// REG_NONE
        RegNone = "REG_NONE",
        /// REG_SZ
        RegSz = "REG_SZ",
        /// REG_EXPAND_SZ
        RegExpandSz = "REG_EXPAND_SZ",
        /// REG_BINARY
        RegBinary = "REG_BINARY",
        /// REG_DWORD
        RegDword = "REG_DWORD",
        /// REG_DWORD_BIG_ENDIAN
        RegDwordBigEndian = "REG_DWORD_BIG_ENDIAN",
        /// REG_DWORD_LITTLE_ENDIAN
        RegDwordLittleEndian = "REG_DWORD_LITTLE_ENDIAN",
        /// REG_LINK
        RegLink = "REG_LINK",
        /// REG_MULTI_SZ
        RegMultiSz = "REG_MULTI_SZ",
        /// REG_RESOURCE_LIST
        RegResourceList = "REG_RESOURCE_LIST",
        /// REG_FULL_RESOURCE_DESCRIPTION
        RegFullResourceDescription = "REG_FULL_RESOURCE_DESCRIPTION",
        /// REG_RESOURCE_REQUIREMENTS_LIST
        RegResourceRequirementsList = "REG_RESOURCE_REQUIREMENTS_LIST",
        /// REG_QWORD
        RegQword = "REG_QWORD",
        /// REG_INVALID_TYPE
        RegInvalidType = "REG_INVALID_TYPE",
    }
}

stix_object! {
    /// Artifact (SPEC §6.1).
    pub struct Artifact = "artifact" {
        /// `mime_type`.
        mime_type: String,
        /// `payload_bin` (base64).
        payload_bin: String,
        /// `url`.
        url: String,
        /// `hashes`.
        hashes: Hashes,
        /// `encryption_algorithm`.
        encryption_algorithm: EncryptionAlgorithm,
        /// `decryption_key`.
        decryption_key: String,
    }
}

stix_object! {
    /// Autonomous System (SPEC §6.2).
    pub struct AutonomousSystem = "autonomous-system" {
        /// `number`.
        number: i64,
        /// `name`.
        name: String,
        /// `rir`.
        rir: String,
    }
}

stix_object! {
    /// Directory (SPEC §6.3).
    pub struct Directory = "directory" {
        /// `path`.
        path: String,
        /// `path_enc`.
        path_enc: String,
        /// `ctime`.
        ctime: Timestamp,
        /// `mtime`.
        mtime: Timestamp,
        /// `atime`.
        atime: Timestamp,
        /// `contains_refs`.
        contains_refs: Vec<Identifier>,
    }
}

stix_object! {
    /// Domain Name (SPEC §6.4).
    pub struct DomainName = "domain-name" {
        /// `value`.
        value: String,
        /// `resolves_to_refs`.
        resolves_to_refs: Vec<Identifier>,
    }
}

stix_object! {
    /// Email Address (SPEC §6.5).
    pub struct EmailAddr = "email-addr" {
        /// `value`.
        value: String,
        /// `display_name`.
        display_name: String,
        /// `belongs_to_ref`.
        belongs_to_ref: Identifier,
    }
}

stix_struct! {
    /// One MIME part of a multipart email (SPEC §6.6.2).
    pub struct EmailMimePart ("email MIME part") {
        /// `body`.
        body: String,
        /// `body_raw_ref`.
        body_raw_ref: Identifier,
        /// `content_type`.
        content_type: String,
        /// `content_disposition`.
        content_disposition: String,
    }
}

stix_object! {
    /// Email Message (SPEC §6.6).
    pub struct EmailMessage = "email-message" {
        /// `is_multipart`.
        is_multipart: bool,
        /// `date`.
        date: Timestamp,
        /// `content_type`.
        content_type: String,
        /// `from_ref`.
        from_ref: Identifier,
        /// `sender_ref`.
        sender_ref: Identifier,
        /// `to_refs`.
        to_refs: Vec<Identifier>,
        /// `cc_refs`.
        cc_refs: Vec<Identifier>,
        /// `bcc_refs`.
        bcc_refs: Vec<Identifier>,
        /// `message_id`.
        message_id: String,
        /// `subject`.
        subject: String,
        /// `received_lines`.
        received_lines: Vec<String>,
        /// `additional_header_fields`.
        additional_header_fields: Map<String, Value>,
        /// `body`.
        body: String,
        /// `body_multipart`.
        body_multipart: Vec<EmailMimePart>,
        /// `raw_email_ref`.
        raw_email_ref: Identifier,
    }
}

stix_object! {
    /// File (SPEC §6.7).
    pub struct File = "file" {
        /// `hashes`.
        hashes: Hashes,
        /// `size`.
        size: i64,
        /// `name`.
        name: String,
        /// `name_enc`.
        name_enc: String,
        /// `magic_number_hex`.
        magic_number_hex: String,
        /// `mime_type`.
        mime_type: String,
        /// `ctime`.
        ctime: Timestamp,
        /// `mtime`.
        mtime: Timestamp,
        /// `atime`.
        atime: Timestamp,
        /// `parent_directory_ref`.
        parent_directory_ref: Identifier,
        /// `contains_refs`.
        contains_refs: Vec<Identifier>,
        /// `content_ref`.
        content_ref: Identifier,
    }
}

stix_object! {
    /// IPv4 Address (SPEC §6.8).
    pub struct Ipv4Addr = "ipv4-addr" {
        /// `value`.
        value: String,
        /// `resolves_to_refs`.
        resolves_to_refs: Vec<Identifier>,
        /// `belongs_to_refs`.
        belongs_to_refs: Vec<Identifier>,
    }
}

stix_object! {
    /// IPv6 Address (SPEC §6.9).
    pub struct Ipv6Addr = "ipv6-addr" {
        /// `value`.
        value: String,
        /// `resolves_to_refs`.
        resolves_to_refs: Vec<Identifier>,
        /// `belongs_to_refs`.
        belongs_to_refs: Vec<Identifier>,
    }
}

stix_object! {
    /// MAC Address (SPEC §6.10).
    pub struct MacAddr = "mac-addr" {
        /// `value`.
        value: String,
    }
}

stix_object! {
    /// Mutex (SPEC §6.11).
    pub struct Mutex = "mutex" {
        /// `name`.
        name: String,
    }
}

stix_object! {
    /// Network Traffic (SPEC §6.12).
    pub struct NetworkTraffic = "network-traffic" {
        /// `start`.
        start: Timestamp,
        /// `end`.
        end: Timestamp,
        /// `is_active`.
        is_active: bool,
        /// `src_ref`.
        src_ref: Identifier,
        /// `dst_ref`.
        dst_ref: Identifier,
        /// `src_port`.
        src_port: i64,
        /// `dst_port`.
        dst_port: i64,
        /// `protocols`.
        protocols: Vec<String>,
        /// `src_byte_count`.
        src_byte_count: i64,
        /// `dst_byte_count`.
        dst_byte_count: i64,
        /// `src_packets`.
        src_packets: i64,
        /// `dst_packets`.
        dst_packets: i64,
        /// `ipfix`.
        ipfix: Map<String, Value>,
        /// `src_payload_ref`.
        src_payload_ref: Identifier,
        /// `dst_payload_ref`.
        dst_payload_ref: Identifier,
        /// `encapsulates_refs`.
        encapsulates_refs: Vec<Identifier>,
        /// `encapsulated_by_ref`.
        encapsulated_by_ref: Identifier,
    }
}

stix_object! {
    /// Process (SPEC §6.13).
    pub struct Process = "process" {
        /// `is_hidden`.
        is_hidden: bool,
        /// `pid`.
        pid: i64,
        /// `created_time`.
        created_time: Timestamp,
        /// `cwd`.
        cwd: String,
        /// `command_line`.
        command_line: String,
        /// `environment_variables`.
        environment_variables: Map<String, Value>,
        /// `opened_connection_refs`.
        opened_connection_refs: Vec<Identifier>,
        /// `creator_user_ref`.
        creator_user_ref: Identifier,
        /// `image_ref`.
        image_ref: Identifier,
        /// `parent_ref`.
        parent_ref: Identifier,
        /// `child_refs`.
        child_refs: Vec<Identifier>,
    }
}

stix_object! {
    /// Software (SPEC §6.14).
    pub struct Software = "software" {
        /// `name`.
        name: String,
        /// `cpe`.
        cpe: String,
        /// `swid`.
        swid: String,
        /// `languages`.
        languages: Vec<String>,
        /// `vendor`.
        vendor: String,
        /// `version`.
        version: String,
    }
}

stix_object! {
    /// URL (SPEC §6.15).
    pub struct Url = "url" {
        /// `value`.
        value: String,
    }
}

stix_object! {
    /// User Account (SPEC §6.16).
    pub struct UserAccount = "user-account" {
        /// `user_id`.
        user_id: String,
        /// `credential`.
        credential: String,
        /// `account_login`.
        account_login: String,
        /// `account_type` (account-type-ov).
        account_type: String,
        /// `display_name`.
        display_name: String,
        /// `is_service_account`.
        is_service_account: bool,
        /// `is_privileged`.
        is_privileged: bool,
        /// `can_escalate_privs`.
        can_escalate_privs: bool,
        /// `is_disabled`.
        is_disabled: bool,
        /// `account_created`.
        account_created: Timestamp,
        /// `account_expires`.
        account_expires: Timestamp,
        /// `credential_last_changed`.
        credential_last_changed: Timestamp,
        /// `account_first_login`.
        account_first_login: Timestamp,
        /// `account_last_login`.
        account_last_login: Timestamp,
    }
}

stix_struct! {
    /// One value of a registry key (SPEC §6.17.2).
    pub struct WindowsRegistryValue ("windows registry value") {
        /// `name`.
        name: String,
        /// `data`.
        data: String,
        /// `data_type`.
        data_type: WindowsRegistryDatatype,
    }
}

stix_object! {
    /// Windows Registry Key (SPEC §6.17).
    pub struct WindowsRegistryKey = "windows-registry-key" {
        /// `key`.
        key: String,
        /// `values`.
        values: Vec<WindowsRegistryValue>,
        /// `modified_time`.
        modified_time: Timestamp,
        /// `creator_user_ref`.
        creator_user_ref: Identifier,
        /// `number_of_subkeys`.
        number_of_subkeys: i64,
    }
}

stix_struct! {
    /// X.509 v3 extensions of a certificate (SPEC §6.18.2).
    pub struct X509V3Extensions ("x509 v3 extensions") {
        /// `basic_constraints`.
        basic_constraints: String,
        /// `name_constraints`.
        name_constraints: String,
        /// `policy_constraints`.
        policy_constraints: String,
        /// `key_usage`.
        key_usage: String,
        /// `extended_key_usage`.
        extended_key_usage: String,
        /// `subject_key_identifier`.
        subject_key_identifier: String,
        /// `authority_key_identifier`.
        authority_key_identifier: String,
        /// `subject_alternative_name`.
        subject_alternative_name: String,
        /// `issuer_alternative_name`.
        issuer_alternative_name: String,
        /// `subject_directory_attributes`.
        subject_directory_attributes: String,
        /// `crl_distribution_points`.
        crl_distribution_points: String,
        /// `inhibit_any_policy`.
        inhibit_any_policy: String,
        /// `private_key_usage_period_not_before`.
        private_key_usage_period_not_before: Timestamp,
        /// `private_key_usage_period_not_after`.
        private_key_usage_period_not_after: Timestamp,
        /// `certificate_policies`.
        certificate_policies: String,
        /// `policy_mappings`.
        policy_mappings: String,
    }
}

stix_object! {
    /// X.509 Certificate (SPEC §6.18).
    pub struct X509Certificate = "x509-certificate" {
        /// `is_self_signed`.
        is_self_signed: bool,
        /// `hashes`.
        hashes: Hashes,
        /// `version`.
        version: String,
        /// `serial_number`.
        serial_number: String,
        /// `signature_algorithm`.
        signature_algorithm: String,
        /// `issuer`.
        issuer: String,
        /// `validity_not_before`.
        validity_not_before: Timestamp,
        /// `validity_not_after`.
        validity_not_after: Timestamp,
        /// `subject`.
        subject: String,
        /// `subject_public_key_algorithm`.
        subject_public_key_algorithm: String,
        /// `subject_public_key_modulus`.
        subject_public_key_modulus: String,
        /// `subject_public_key_exponent`.
        subject_public_key_exponent: i64,
        /// `x509_v3_extensions`.
        x509_v3_extensions: X509V3Extensions,
    }
}
