(module
  (table (;0;) 5 102555 nullexternref)
)
