(module
  (global (;0;) i32 i32.const -1502149059 i32.const 922705880 i32.const -1412295528 i32.const 1812106239 i32.const -1963636988 i32.const -664898558 i32.const -917289321 i32.const 207876308 i32.add i32.const -1087222368 i32.sub i32.add i32.add i32.mul i32.const -1306772090 i32.mul i32.mul i32.mul i32.sub)
)
