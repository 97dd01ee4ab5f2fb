(module
  (global (;0;) i32 i32.const -151967817 i32.const -876496406 i32.const -1334178485 i32.const 711929788 i32.const -1537780807 i32.const 2097309993 i32.const -1227236127 i32.const 1036557552 i32.sub i32.const -779473486 i32.sub i32.sub i32.sub i32.add i32.add i32.mul i32.add i32.const 26495902 i32.add)
)
