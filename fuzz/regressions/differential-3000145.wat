(module
  (global (;0;) (mut i32) i32.const -270801729 i32.const -1434468314 i32.const 2039553993 i32.const -731512862 i32.const 68749540 i32.const -323940213 i32.mul i32.mul i32.const -688493688 i32.const -1346841959 i32.mul i32.add i32.add i32.const -1989523278 i32.sub i32.add i32.sub)
)
