//! `kiln inspect`.

use clap::Args;
use kiln::{
    ArtifactSummary, ExportType, ExternType, ImportType, MemoryType, Runtime, RuntimeConfig,
    Section, Signer, TableType,
};
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `kiln inspect`.
#[derive(Args)]
pub struct InspectArgs {
    /// The module (.wasm) or artifact (.kiln blob or .o object) to describe.
    module: PathBuf,
    /// Say whether the artifact's signature verifies against the key in this public key
    /// file (NAME.pub); repeatable.
    #[arg(long = "trust-key", value_name = "KEY")]
    trust_keys: Vec<PathBuf>,
}

/// A memory type: index type (`i32`, or `i64` for a 64-bit memory), then limits in pages,
/// then `shared` for a shared memory (threads).
fn describe_memory(m: &MemoryType) -> String {
    let shared = if m.shared { " shared" } else { "" };
    format!("memory {} {} .. {:?} pages{shared}", m.index_type, m.limits.min, m.limits.max)
}

/// A table type: index type, element type, then limits in elements.
fn describe_table(t: &TableType) -> String {
    format!("table {} {} {} .. {:?}", t.index_type, t.element, t.limits.min, t.limits.max)
}

fn describe(t: &ExternType) -> String {
    match t {
        ExternType::Func(f) => format!("func {f}"),
        ExternType::Memory(m) => describe_memory(m),
        ExternType::Table(t) => describe_table(t),
        ExternType::Global(g) => {
            format!("global {}{}", if g.mutable { "mut " } else { "" }, g.content)
        }
        ExternType::Tag(t) => format!("tag {t}"),
    }
}

/// The module's interface, then every memory and table by index (imported ones first),
/// each with its index type.
fn print_interface(
    imports: &[ImportType],
    exports: &[ExportType],
    (memories, imported_memories): (&[MemoryType], u32),
    (tables, imported_tables): (&[TableType], u32),
) {
    println!("imports ({}):", imports.len());
    for i in imports {
        println!("  {}.{}: {}", i.module, i.name, describe(&i.ty));
    }
    println!("exports ({}):", exports.len());
    for e in exports {
        println!("  {}: {}", e.name, describe(&e.ty));
    }
    let imported = |i: usize, n: u32| if i < n as usize { " (imported)" } else { "" };
    println!("memories ({}):", memories.len());
    for (i, m) in memories.iter().enumerate() {
        println!("  {i}: {}{}", describe_memory(m), imported(i, imported_memories));
    }
    println!("tables ({}):", tables.len());
    for (i, t) in tables.iter().enumerate() {
        println!("  {i}: {}{}", describe_table(t), imported(i, imported_tables));
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Prints the module's or artifact's description.
pub fn inspect(a: InspectArgs) -> Result<ExitCode, String> {
    let bytes = super::read_module(&a.module)?;
    let keys = a
        .trust_keys
        .iter()
        .map(|k| super::keygen::read_public_key(k))
        .collect::<Result<Vec<_>, _>>()?;
    if kiln::is_artifact(&bytes) {
        let s =
            kiln::inspect_artifact(&bytes).map_err(|e| format!("{}: {e}", a.module.display()))?;
        print_artifact(&a.module, bytes.len(), &s);
        print_signer(&s.signer, &keys);
        print_interface(
            &s.imports,
            &s.exports,
            (&s.memories, s.imported_memories),
            (&s.tables, s.imported_tables),
        );
        return Ok(ExitCode::SUCCESS);
    }
    let rt = Runtime::with_config(
        RuntimeConfig::interpreter()
            .with_custom_sections(true)
            .with_core_features(kiln_spectest::features::all()),
    );
    let m = rt.compile(&bytes).map_err(|e| format!("{}: {e}", a.module.display()))?;
    let info = &m.engine_module().info;
    println!("module: {}", a.module.display());
    println!("kind: wasm binary, {} bytes", bytes.len());
    println!("name: {}", m.name().unwrap_or("-"));
    let code: usize = info.bodies.iter().map(|b| b.range.len()).sum();
    println!(
        "functions: {} defined, {} imported; code {} bytes",
        info.num_defined_funcs(),
        info.num_imported_funcs,
        code
    );
    let tables: Vec<TableType> = info.tables.iter().map(|t| t.ty).collect();
    print_interface(
        &m.imports(),
        &m.exports(),
        (&info.memories, info.num_imported_memories),
        (&tables, info.num_imported_tables),
    );
    let customs: Vec<_> =
        m.custom_sections().map(|(n, d)| format!("{n} ({} bytes)", d.len())).collect();
    println!(
        "custom sections: {}",
        if customs.is_empty() { "-".to_string() } else { customs.join(", ") }
    );
    Ok(ExitCode::SUCCESS)
}

fn print_artifact(path: &std::path::Path, len: usize, s: &ArtifactSummary) {
    let h = &s.header;
    println!("module: {}", path.display());
    if s.is_object {
        println!("kind: Kiln relocatable object (ELF), {len} bytes");
    } else {
        println!("kind: Kiln artifact, {len} bytes");
    }
    println!("format version: {}", h.format_version);
    println!("runtime ABI version: {}", h.abi_version);
    println!("written by: Kiln {} ({})", h.kiln_version, s.producer);
    println!("target: {}", h.target);
    println!("cpu: {} (features: {})", h.cpu_level, h.cpu_features);
    println!("settings: {}", h.settings);
    println!("settings fingerprint: {:016x}", h.settings_fingerprint);
    println!("wasm sha256: {}", hex(&h.wasm_sha256));
    println!("payload digest: {}", hex(&h.payload_digest));
    println!("debug info digest: {}", hex(&h.cold_digest));
    match &s.debug_info {
        Ok(0) => println!("debug info: none"),
        Ok(n) => println!("debug info (address map, source lines): {n} bytes, checksum ok"),
        Err(e) => println!(
            "debug info: corrupt ({e}); backtraces show functions without wasm offsets or source lines"
        ),
    }
    match &s.loadable_here {
        Ok(()) => println!("loadable here: yes"),
        Err(e) => println!("loadable here: no ({e})"),
    }
    println!("name: {}", s.name.as_deref().unwrap_or("-"));
    println!(
        "functions: {} defined, {} imported; code {} bytes, {} trap sites",
        s.defined_functions, s.imported_functions, s.code_bytes, s.trap_sites
    );
    let sections: Vec<String> = Section::ALL
        .iter()
        .map(|sec| {
            let r = h.sections.get(*sec);
            format!("{} {}@{:#x}", sec.name(), r.len, r.offset)
        })
        .collect();
    println!("sections: {}", sections.join(", "));
    match &s.memory_image {
        Some(i) => println!(
            "memory image: {} bytes at offset {:#x} of memory {} (mapped copy-on-write)",
            i.len, i.offset, i.memory
        ),
        None => println!("memory image: none (data segments are copied)"),
    }
}

/// Prints who signed the artifact and, when `keys` are given, whether it verifies against
/// one of them (what `kiln run --trust-key` would decide).
fn print_signer(signer: &Signer, keys: &[kiln::PublicKey]) {
    match signer {
        Signer::Unsigned => println!("signed by: nobody (unsigned)"),
        Signer::Signed { key, valid } => println!(
            "signed by: key {} (signature {})",
            key.fingerprint(),
            if *valid { "valid" } else { "INVALID: altered or forged" }
        ),
    }
    if keys.is_empty() {
        return;
    }
    let verdict = match signer {
        Signer::Signed { key, valid: true } if keys.contains(key) => "yes".to_string(),
        Signer::Signed { valid: true, .. } => "no (signed by a key not given)".to_string(),
        Signer::Signed { valid: false, .. } => "no (the signature does not verify)".to_string(),
        Signer::Unsigned => "no (unsigned)".to_string(),
    };
    let given: Vec<String> = keys.iter().map(|k| k.fingerprint().to_string()).collect();
    println!("verifies against the given keys ({}): {verdict}", given.join(", "));
}
