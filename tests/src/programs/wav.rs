//! Describes a RIFF/WAVE file's header, for the Flite workload's observation.

/// One line describing `bytes` as a WAVE file — format tag, channels, sample rate, bits
/// per sample, data size in bytes and duration in ms — or why it is not one.
pub fn describe(bytes: &[u8]) -> String {
    match parse(bytes) {
        Ok(d) => d,
        Err(e) => format!("not a WAVE file: {e}"),
    }
}

fn le16(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?)))
}

fn le32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

fn parse(b: &[u8]) -> Result<String, String> {
    if b.get(0..4) != Some(b"RIFF") || b.get(8..12) != Some(b"WAVE") {
        return Err("no RIFF/WAVE signature".into());
    }
    let riff_size = le32(b, 4).ok_or("truncated RIFF header")?;
    let mut at = 12;
    let mut fmt = None;
    let mut data = None;
    while at + 8 <= b.len() {
        let id = &b[at..at + 4];
        let size = le32(b, at + 4).ok_or("truncated chunk header")? as usize;
        let body = at + 8;
        if id == b"fmt " {
            let tag = le16(b, body).ok_or("truncated fmt chunk")?;
            let channels = le16(b, body + 2).ok_or("truncated fmt chunk")?;
            let rate = le32(b, body + 4).ok_or("truncated fmt chunk")?;
            let bits = le16(b, body + 14).ok_or("truncated fmt chunk")?;
            fmt = Some((tag, channels, rate, bits));
        } else if id == b"data" {
            data = Some(size);
        }
        at = body + size + (size & 1);
    }
    let (tag, channels, rate, bits) = fmt.ok_or("no fmt chunk")?;
    let data = data.ok_or("no data chunk")?;
    let frame = (channels * bits / 8).max(1) as usize;
    let ms = if rate == 0 { 0 } else { (data / frame) as u64 * 1000 / u64::from(rate) };
    Ok(format!(
        "RIFF size {riff_size}, format {tag}{}, {channels} channel(s), {rate} Hz, {bits} bits, \
         data {data} bytes ({ms} ms)",
        if tag == 1 { " (PCM)" } else { "" }
    ))
}

#[cfg(test)]
mod tests {
    #[test]
    fn describes_a_pcm_header_and_rejects_junk() {
        let mut w = Vec::new();
        w.extend_from_slice(b"RIFF");
        w.extend_from_slice(&(36u32 + 4).to_le_bytes());
        w.extend_from_slice(b"WAVEfmt ");
        w.extend_from_slice(&16u32.to_le_bytes());
        for v in [1u16, 1] {
            w.extend_from_slice(&v.to_le_bytes());
        }
        w.extend_from_slice(&8000u32.to_le_bytes());
        w.extend_from_slice(&16000u32.to_le_bytes());
        for v in [2u16, 16] {
            w.extend_from_slice(&v.to_le_bytes());
        }
        w.extend_from_slice(b"data");
        w.extend_from_slice(&4u32.to_le_bytes());
        w.extend_from_slice(&[0, 0, 1, 0]);
        assert_eq!(
            super::describe(&w),
            "RIFF size 40, format 1 (PCM), 1 channel(s), 8000 Hz, 16 bits, data 4 bytes (0 ms)"
        );
        assert_eq!(super::describe(b"RIFX"), "not a WAVE file: no RIFF/WAVE signature");
    }
}
