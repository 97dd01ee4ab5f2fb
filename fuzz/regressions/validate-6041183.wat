(module
  (global (;0;) i32 i32.const 0)
  (global (;1;) (mut i32) global.get 0)
)
