//! Generates the C header from the crate's `extern "C"` items with cbindgen.
//!
//! The header always goes to `$OUT_DIR/libstix.h`; the committed copy in
//! `include/libstix.h` is only rewritten when `LIBSTIX_UPDATE_HEADER=1` is
//! set, so a normal build never touches the source tree. The test
//! `tests/header.rs` fails while the committed copy differs from the
//! generated one.

use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=cbindgen.toml");
    println!("cargo:rerun-if-env-changed=LIBSTIX_UPDATE_HEADER");

    let crate_dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR"));
    let config = cbindgen::Config::from_file(crate_dir.join("cbindgen.toml"))
        .expect("bindings/c/cbindgen.toml is readable and valid");
    let bindings = cbindgen::Builder::new()
        .with_crate(&crate_dir)
        .with_config(config)
        .generate()
        .expect("cbindgen could not generate libstix.h");
    let generated = out_dir.join("libstix.h");
    bindings.write_to_file(&generated);

    let committed = crate_dir.join("include").join("libstix.h");
    if std::env::var_os("LIBSTIX_UPDATE_HEADER").is_some_and(|v| v == "1") {
        std::fs::create_dir_all(crate_dir.join("include")).expect("create include/");
        std::fs::copy(&generated, &committed).expect("write include/libstix.h");
    } else if std::fs::read(&generated).ok() != std::fs::read(&committed).ok() {
        println!(
            "cargo:warning=bindings/c/include/libstix.h is stale; regenerate it with \
             LIBSTIX_UPDATE_HEADER=1 cargo build -p libstix-c"
        );
    }
}
