//! Relocations of a module's code: the kinds Kiln's code uses, how each is applied, and
//! the digest that seals an object's relocations (DESIGN.md principle 3).
//!
//! Every relocation targets code of the same module and is PC-relative, so text with its
//! relocations applied is position-independent as long as it is placed at a 4 KiB-aligned
//! address (`adrp` page deltas). The compiler's link step applies them when it writes a
//! blob; the loader applies an object's when it loads it.

use sha2::{Digest, Sha256};

/// How a relocation is applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RelocKind {
    /// x86_64 `call rel32` (ELF `R_X86_64_PLT32` or `R_X86_64_PC32`): write
    /// `target + addend - site` as a little-endian i32.
    X86PcRel32,
    /// aarch64 `bl`/`b` (ELF `R_AARCH64_CALL26`/`R_AARCH64_JUMP26`): write
    /// `(target + addend - site) >> 2` into the low 26 bits of the instruction.
    Arm64Branch26,
    /// aarch64 `adrp` (ELF `R_AARCH64_ADR_PREL_PG_HI21`): the page delta
    /// `((target + addend) >> 12) - (site >> 12)` into immlo (bits 29-30) and immhi
    /// (bits 5-23).
    Arm64AdrPrelPgHi21,
    /// aarch64 `add x, x, #lo12` (ELF `R_AARCH64_ADD_ABS_LO12_NC`): the low 12 bits of
    /// `target + addend` into bits 10-21.
    Arm64AddAbsLo12Nc,
}

impl RelocKind {
    fn number(self) -> u32 {
        match self {
            RelocKind::X86PcRel32 => 1,
            RelocKind::Arm64Branch26 => 2,
            RelocKind::Arm64AdrPrelPgHi21 => 3,
            RelocKind::Arm64AddAbsLo12Nc => 4,
        }
    }
}

/// One relocation of an object's `.text`, in the terms of its code items.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ObjectReloc {
    /// Offset in `.text` of the 4-byte field to patch.
    pub site: u32,
    /// How to patch it.
    pub kind: RelocKind,
    /// The code item whose first byte is the target (its number in `.kiln.meta`).
    pub target_item: u32,
    /// Added to the target's address.
    pub addend: i64,
}

/// SHA-256 of relocations sorted by site: per relocation, `site` (u32), the kind's number
/// (u32), `target_item` (u32) and `addend` (i64), little-endian. The writer records it in
/// `.kiln.meta`; the loader recomputes it from the ELF relocations and symbols, so a
/// changed relocation, target symbol or addend is refused before any code is patched.
pub fn digest(relocs: &[ObjectReloc]) -> [u8; 32] {
    let mut h = Sha256::new();
    for r in relocs {
        h.update(r.site.to_le_bytes());
        h.update(r.kind.number().to_le_bytes());
        h.update(r.target_item.to_le_bytes());
        h.update(r.addend.to_le_bytes());
    }
    h.finalize().into()
}

/// Applies a relocation of kind `kind` at byte `site` of `text`, pointing it at byte
/// `target` of the same text plus `addend`.
///
/// # Errors
/// A message when the 4-byte field lies outside `text`, or the target is out of the
/// instruction's range (±2 GiB for rel32, ±128 MiB for `bl`, ±4 GiB for `adrp`) or
/// misaligned for a branch.
pub fn apply(
    text: &mut [u8],
    site: u32,
    kind: RelocKind,
    target: u32,
    addend: i64,
) -> Result<(), String> {
    let at = site as usize;
    let field = text
        .get_mut(at..at.saturating_add(4))
        .filter(|f| f.len() == 4)
        .ok_or_else(|| format!("relocation at {site:#x} lies outside the code"))?;
    let pc = i64::from(site);
    let target = i64::from(target) + addend;
    let old = u32::from_le_bytes(field.as_ref().try_into().expect("4 bytes"));
    let out_of_range = |what: &str| format!("{what} target out of range at {site:#x}");
    let new = match kind {
        RelocKind::X86PcRel32 => {
            i32::try_from(target - pc).map_err(|_| out_of_range("rel32"))? as u32
        }
        RelocKind::Arm64Branch26 => {
            let delta = target - pc;
            if delta % 4 != 0 || !(-(1 << 27)..(1 << 27)).contains(&delta) {
                return Err(out_of_range("bl"));
            }
            (old & !0x03ff_ffff) | ((delta >> 2) as u32 & 0x03ff_ffff)
        }
        RelocKind::Arm64AdrPrelPgHi21 => {
            let pages = (target >> 12) - (pc >> 12);
            if !(-(1 << 20)..(1 << 20)).contains(&pages) {
                return Err(out_of_range("adrp"));
            }
            let imm = pages as u32 & 0x1f_ffff;
            (old & !((0x3 << 29) | (0x7_ffff << 5))) | ((imm & 0x3) << 29) | ((imm >> 2) << 5)
        }
        RelocKind::Arm64AddAbsLo12Nc => (old & !(0xfff << 10)) | (((target as u32) & 0xfff) << 10),
    };
    field.copy_from_slice(&new.to_le_bytes());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn x86_call_is_resolved_pc_relative() {
        // e8 <rel32> at offset 1; the target at 16.
        let mut text = vec![0xe8, 0, 0, 0, 0];
        text.resize(32, 0);
        apply(&mut text, 1, RelocKind::X86PcRel32, 16, -4).unwrap();
        assert_eq!(i32::from_le_bytes(text[1..5].try_into().unwrap()), 16 - 4 - 1);
        assert!(apply(&mut text, 30, RelocKind::X86PcRel32, 0, 0).is_err(), "field past the end");
        assert!(apply(&mut text, u32::MAX, RelocKind::X86PcRel32, 0, 0).is_err());
    }

    #[test]
    fn arm64_fields_are_patched_and_range_checked() {
        let mut text = vec![0u8; 8];
        apply(&mut text, 0, RelocKind::Arm64Branch26, 4, 0).unwrap();
        assert_eq!(u32::from_le_bytes(text[0..4].try_into().unwrap()) & 0x03ff_ffff, 1);
        assert!(apply(&mut text, 0, RelocKind::Arm64Branch26, 1 << 28, 0).is_err());
        assert!(apply(&mut text, 0, RelocKind::Arm64Branch26, 2, 0).is_err(), "misaligned");
        let mut text = vec![0u8; 8];
        apply(&mut text, 0, RelocKind::Arm64AdrPrelPgHi21, 0x5000, 0).unwrap();
        let insn = u32::from_le_bytes(text[0..4].try_into().unwrap());
        assert_eq!(((insn >> 29) & 3) | (((insn >> 5) & 0x7_ffff) << 2), 5);
        apply(&mut text, 4, RelocKind::Arm64AddAbsLo12Nc, 0x5123, 0).unwrap();
        assert_eq!((u32::from_le_bytes(text[4..8].try_into().unwrap()) >> 10) & 0xfff, 0x123);
    }

    #[test]
    fn the_digest_sees_every_field() {
        let r = ObjectReloc { site: 4, kind: RelocKind::X86PcRel32, target_item: 1, addend: -4 };
        let d = digest(&[r]);
        for other in [
            ObjectReloc { site: 5, ..r },
            ObjectReloc { kind: RelocKind::Arm64Branch26, ..r },
            ObjectReloc { target_item: 2, ..r },
            ObjectReloc { addend: 0, ..r },
        ] {
            assert_ne!(digest(&[other]), d);
        }
        assert_ne!(digest(&[]), d);
    }
}
