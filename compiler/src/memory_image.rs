//! Building an artifact's initialized-memory image (the format and the conditions are
//! described in [`kiln_runtime_support::artifact::memory_image`]).

use kiln_runtime_support::artifact::memory_image::{
    IMAGE_MIN, IMAGE_PAGE, MemoryImageBytes, MemoryImageDecl,
};
use kiln_runtime_support::module::{ConstExpr, DataMode, ModuleInfo};
use kiln_runtime_support::types::WASM_PAGE_SIZE;

/// The image is not written when it would be more than this many times the bytes of the
/// segments it holds (plus [`IMAGE_MIN`]): far-apart segments are cheaper to copy.
const MAX_PADDING_FACTOR: u64 = 4;

/// The memory image of `info`, when every active data segment targets the same defined
/// memory at an offset known at compile time (constants, extended-const arithmetic on them;
/// `i64` offsets for a 64-bit memory) and lies inside its initial size, and the image is worth
/// mapping (segments of at least [`IMAGE_MIN`] bytes, not mostly zero padding). A module whose active
/// segments target several memories (multi-memory) gets no image: its segments are copied at
/// instantiation.
pub fn build(info: &ModuleInfo) -> Option<MemoryImageBytes> {
    let mut memory = None;
    let mut placed = Vec::with_capacity(info.data.len());
    for d in &info.data {
        let DataMode::Active { memory: m, offset } = &d.mode else {
            placed.push(None);
            continue;
        };
        if *memory.get_or_insert(*m) != *m || *m < info.num_imported_memories {
            return None;
        }
        let at = const_offset(offset)?;
        placed.push(Some((at, d.bytes.clone())));
    }
    let memory = memory?;
    let initial = info.memories[memory as usize].limits.min.checked_mul(WASM_PAGE_SIZE)?;
    let mut lo = u64::MAX;
    let mut hi = 0u64;
    let mut total = 0u64;
    for (at, bytes) in placed.iter().flatten() {
        let end = at.checked_add(bytes.len() as u64)?;
        if end > initial {
            // Instantiation traps on this segment: the copy path reproduces that.
            return None;
        }
        if !bytes.is_empty() {
            lo = lo.min(*at);
            hi = hi.max(end);
            total += bytes.len() as u64;
        }
    }
    if total == 0 {
        return None;
    }
    let offset = lo - lo % IMAGE_PAGE;
    let len = hi.next_multiple_of(IMAGE_PAGE) - offset;
    if total < IMAGE_MIN || len > total.saturating_mul(MAX_PADDING_FACTOR) + IMAGE_MIN {
        return None;
    }
    let mut image = vec![0u8; usize::try_from(len).ok()?];
    for (at, bytes) in placed.iter().flatten().filter(|(_, b)| !b.is_empty()) {
        let start = (at - offset) as usize;
        image[start..start + bytes.len()].copy_from_slice(&info.wasm[bytes.clone()]);
    }
    // Segments inside the image point there (every active segment with bytes is; an
    // empty one keeps its own empty range).
    let segments = placed
        .iter()
        .map(|p| p.as_ref().filter(|(_, b)| !b.is_empty()).map(|(at, _)| *at))
        .collect();
    Some(MemoryImageBytes { decl: MemoryImageDecl { memory, offset, len }, bytes: image, segments })
}

/// The value of the offset expression `expr` when it is known at compile time: constants
/// and extended-const arithmetic on them, as an `i32` (zero-extended) or `i64` offset as the
/// memory's index type says (the evaluator keeps `i32` results zero-extended). An offset that
/// reads a global (`global.get`) is known only at instantiation.
fn const_offset(expr: &ConstExpr) -> Option<u64> {
    expr.eval(|_| None, |_| None).map(|v| v.bits())
}

#[cfg(test)]
mod tests {
    use super::*;
    use kiln_runtime_support::features::CoreFeatures;
    use kiln_runtime_support::module::{DecodeOptions, decode};

    fn info(wat: &str) -> ModuleInfo {
        let features = CoreFeatures::default().union(CoreFeatures::EXTENDED_CONST);
        let options = DecodeOptions { features, keep_custom_sections: false };
        decode(&wat::parse_str(wat).unwrap(), options).unwrap()
    }

    fn big(at: &str) -> String {
        format!(r#"(data (i32.const {at}) "{}")"#, "ab".repeat(40_000))
    }

    #[test]
    fn images_need_known_offsets_in_bounds_and_enough_bytes() {
        // 80 000 bytes at 70 000, a later segment overwriting some of them.
        let m = info(&format!(
            r#"(module (memory 4) {} (data (i32.const 71000) "XYZ") (data "passive"))"#,
            big("70000")
        ));
        let img = build(&m).unwrap();
        assert_eq!(
            img.decl,
            MemoryImageDecl {
                memory: 0,
                offset: 69632,
                len: (150_000u64).next_multiple_of(4096) - 69632
            }
        );
        assert_eq!(img.segments, vec![Some(70000), Some(71000), None]);
        assert_eq!(&img.bytes[71000 - 69632..][..4], b"XYZb", "then the first segment again");
        assert_eq!(&img.bytes[70000 - 69632..][..3], b"aba");
        assert!(img.bytes[..70000 - 69632].iter().all(|b| *b == 0));

        // Too small; out of bounds; an imported global; an imported memory; far apart.
        assert!(build(&info(r#"(module (memory 1) (data (i32.const 0) "small"))"#)).is_none());
        assert!(
            build(&info(&format!("(module (memory 1) {})", big("0")))).is_none(),
            "80 000 bytes > 1 page"
        );
        let imported = format!(
            r#"(module (global $g (import "e" "g") i32) (memory 4) {})"#,
            big("0").replace("(i32.const 0)", "(global.get $g)")
        );
        assert!(build(&info(&imported)).is_none());
        assert!(
            build(&info(&format!(r#"(module (import "e" "m" (memory 4)) {})"#, big("0"))))
                .is_none()
        );
        let far = format!(r#"(module (memory 100) {} (data (i32.const 6000000) "x"))"#, big("0"));
        assert!(build(&info(&far)).is_none());
    }

    #[test]
    fn extended_const_offsets_are_folded_into_the_image() {
        let offset = "(i32.sub (i32.mul (i32.const 1000) (i32.const 71)) (i32.const 1000))";
        let m = info(&format!("(module (memory 4) {})", big("0").replace("(i32.const 0)", offset)));
        let img = build(&m).unwrap();
        assert_eq!(img.segments, vec![Some(70000)]);
        let with_global = format!(
            r#"(module (import "env" "g" (global $g i32)) (memory 4) {})"#,
            big("0").replace("(i32.const 0)", "(i32.add (global.get $g) (i32.const 1))")
        );
        assert!(build(&info(&with_global)).is_none(), "global.get is known at instantiation");
    }
}
