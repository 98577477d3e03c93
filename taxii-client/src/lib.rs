//! A blocking TAXII 2.1 client returning `stix-core` types.
