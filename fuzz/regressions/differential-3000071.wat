(module
  (memory (;0;) i64 0 17)
  (data (;0;) (i64.const 548334705677431246) "")
)
