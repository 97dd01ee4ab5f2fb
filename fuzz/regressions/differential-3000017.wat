(module
  (global (;0;) (mut i32) i32.const 520243041 i32.const -522411171 i32.const -153242713 i32.const 1383200277 i32.const 945734296 i32.const 878124468 i32.const -914476051 i32.const 547357936 i32.mul i32.add i32.sub i32.add i32.const 672652839 i32.add i32.const 879948290 i32.sub i32.sub i32.sub i32.add)
)
