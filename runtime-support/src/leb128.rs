//! LEB128 variable-length integers, as the compact code tables and the source-line table of
//! an artifact store them: unsigned (7 bits a byte, low first, high bit set on every byte but
//! the last) and signed deltas zigzag-mapped onto unsigned ones.

/// Appends `v` as unsigned LEB128.
pub(crate) fn put(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

/// Appends the signed `v` zigzag-mapped (0, -1, 1, -2, ... become 0, 1, 2, 3, ...).
pub(crate) fn put_signed(out: &mut Vec<u8>, v: i64) {
    put(out, ((v << 1) ^ (v >> 63)) as u64);
}

/// A reader over LEB128 numbers; every read is bounds-checked and answers `None` past the
/// end or for a number longer than 64 bits.
#[derive(Clone, Debug)]
pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    /// A reader at the start of `bytes`.
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        Self { bytes, at: 0 }
    }

    /// Whether every byte was read.
    pub(crate) fn is_empty(&self) -> bool {
        self.at >= self.bytes.len()
    }

    /// The next unsigned number.
    pub(crate) fn get(&mut self) -> Option<u64> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = *self.bytes.get(self.at)?;
            self.at += 1;
            v |= u64::from(byte & 0x7f).checked_shl(shift)?;
            if byte & 0x80 == 0 {
                return Some(v);
            }
        }
        None
    }

    /// The next zigzag-mapped signed number.
    pub(crate) fn get_signed(&mut self) -> Option<i64> {
        let v = self.get()?;
        Some((v >> 1) as i64 ^ -((v & 1) as i64))
    }

    /// The next `len` bytes.
    pub(crate) fn bytes(&mut self, len: usize) -> Option<&'a [u8]> {
        let b = self.bytes.get(self.at..self.at.checked_add(len)?)?;
        self.at += len;
        Some(b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_round_trip_and_truncation_is_none() {
        let mut b = Vec::new();
        let values = [0u64, 1, 127, 128, 300, u32::MAX as u64, u64::MAX];
        values.iter().for_each(|v| put(&mut b, *v));
        let signed = [0i64, -1, 1, -64, 64, i64::MIN, i64::MAX];
        signed.iter().for_each(|v| put_signed(&mut b, *v));
        let mut r = Reader::new(&b);
        assert!(values.iter().all(|v| r.get() == Some(*v)));
        assert!(signed.iter().all(|v| r.get_signed() == Some(*v)));
        assert!(r.is_empty() && r.get().is_none());
        assert_eq!(Reader::new(&[0x80]).get(), None);
        assert_eq!(Reader::new(&[0xff; 11]).get(), None);
    }
}
