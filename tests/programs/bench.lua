-- Kiln's CPU-heavy Lua workload (tests/programs/bench.lua): three classic benchmarks-game
-- kernels with deterministic output. Runs on the wasm32-wasi Lua built by
-- scripts/fetch-programs.sh, which cannot unwind (see tests/programs/lua/unwind_shim.h), so
-- it uses neither pcall/error nor coroutines.
--
-- Usage: lua bench.lua [scale]   (scale 1 = the sizes below, about 1 s natively)

local scale = tonumber(arg and arg[1]) or 1

-- fannkuch-redux: for each permutation of 1..n (in the benchmark's rotation order), count
-- prefix reversals until 1 comes first; report the maximum and an alternating checksum.
local function fannkuch(n)
  local perm, work, count = {}, {}, {}
  for i = 1, n do perm[i] = i; count[i] = i end
  local maxflips, checksum, index = 0, 0, 0
  while true do
    local first = perm[1]
    if first ~= 1 then
      for i = 1, n do work[i] = perm[i] end
      local flips = 0
      while first ~= 1 do
        local i, j = 1, first
        while i < j do work[i], work[j] = work[j], work[i]; i = i + 1; j = j - 1 end
        flips = flips + 1
        first = work[1]
      end
      if flips > maxflips then maxflips = flips end
      if index % 2 == 0 then checksum = checksum + flips else checksum = checksum - flips end
    end
    index = index + 1
    -- Next permutation: rotate the first r elements left by one, carrying into r + 1
    -- once all r rotations of this prefix have been visited.
    local r = 2
    while true do
      if r > n then return checksum, maxflips end
      local p0 = perm[1]
      for i = 1, r - 1 do perm[i] = perm[i + 1] end
      perm[r] = p0
      count[r] = count[r] - 1
      if count[r] > 0 then break end
      count[r] = r
      r = r + 1
    end
  end
end

-- n-body: the Jovian planets, symplectic integrator, energy before and after.
local PI = 3.141592653589793
local SOLAR_MASS = 4 * PI * PI
local DAYS_PER_YEAR = 365.24
local function bodies()
  return {
    {x = 0, y = 0, z = 0, vx = 0, vy = 0, vz = 0, mass = SOLAR_MASS},
    {x = 4.84143144246472090e+00, y = -1.16032004402742839e+00, z = -1.03622044471123109e-01,
     vx = 1.66007664274403694e-03 * DAYS_PER_YEAR, vy = 7.69901118419740425e-03 * DAYS_PER_YEAR,
     vz = -6.90460016972063023e-05 * DAYS_PER_YEAR, mass = 9.54791938424326609e-04 * SOLAR_MASS},
    {x = 8.34336671824457987e+00, y = 4.12479856412430479e+00, z = -4.03523417114321381e-01,
     vx = -2.76742510726862411e-03 * DAYS_PER_YEAR, vy = 4.99852801234917238e-03 * DAYS_PER_YEAR,
     vz = 2.30417297573763929e-05 * DAYS_PER_YEAR, mass = 2.85885980666130812e-04 * SOLAR_MASS},
    {x = 1.28943695621391310e+01, y = -1.51111514016986312e+01, z = -2.23307578892655734e-01,
     vx = 2.96460137564761618e-03 * DAYS_PER_YEAR, vy = 2.37847173959480950e-03 * DAYS_PER_YEAR,
     vz = -2.96589568540237556e-05 * DAYS_PER_YEAR, mass = 4.36624404335156298e-05 * SOLAR_MASS},
    {x = 1.53796971148509165e+01, y = -2.59193146099879641e+01, z = 1.79258772950371181e-01,
     vx = 2.68067772490389322e-03 * DAYS_PER_YEAR, vy = 1.62824170038242295e-03 * DAYS_PER_YEAR,
     vz = -9.51592254519715870e-05 * DAYS_PER_YEAR, mass = 5.15138902046611451e-05 * SOLAR_MASS},
  }
end

local function energy(b)
  local e = 0
  for i = 1, #b do
    local bi = b[i]
    e = e + 0.5 * bi.mass * (bi.vx * bi.vx + bi.vy * bi.vy + bi.vz * bi.vz)
    for j = i + 1, #b do
      local bj = b[j]
      local dx, dy, dz = bi.x - bj.x, bi.y - bj.y, bi.z - bj.z
      e = e - bi.mass * bj.mass / math.sqrt(dx * dx + dy * dy + dz * dz)
    end
  end
  return e
end

local function offset_momentum(b)
  local px, py, pz = 0, 0, 0
  for i = 1, #b do
    px = px + b[i].vx * b[i].mass
    py = py + b[i].vy * b[i].mass
    pz = pz + b[i].vz * b[i].mass
  end
  b[1].vx, b[1].vy, b[1].vz = -px / SOLAR_MASS, -py / SOLAR_MASS, -pz / SOLAR_MASS
end

local function advance(b, n, dt)
  local nb = #b
  for _ = 1, n do
    for i = 1, nb do
      local bi = b[i]
      local bix, biy, biz, bimass = bi.x, bi.y, bi.z, bi.mass
      local bivx, bivy, bivz = bi.vx, bi.vy, bi.vz
      for j = i + 1, nb do
        local bj = b[j]
        local dx, dy, dz = bix - bj.x, biy - bj.y, biz - bj.z
        local d2 = dx * dx + dy * dy + dz * dz
        local mag = dt / (d2 * math.sqrt(d2))
        local bm = bj.mass * mag
        bivx, bivy, bivz = bivx - dx * bm, bivy - dy * bm, bivz - dz * bm
        bm = bimass * mag
        bj.vx, bj.vy, bj.vz = bj.vx + dx * bm, bj.vy + dy * bm, bj.vz + dz * bm
      end
      bi.vx, bi.vy, bi.vz = bivx, bivy, bivz
      bi.x, bi.y, bi.z = bix + dt * bivx, biy + dt * bivy, biz + dt * bivz
    end
  end
end

-- spectral-norm: the largest eigenvalue of an infinite matrix, by power iteration.
local function A(i, j)
  local ij = i + j - 1
  return 1.0 / (ij * (ij - 1) * 0.5 + i)
end
local function Av(x, y, n)
  for i = 1, n do
    local a = 0
    for j = 1, n do a = a + x[j] * A(i, j) end
    y[i] = a
  end
end
local function Atv(x, y, n)
  for i = 1, n do
    local a = 0
    for j = 1, n do a = a + x[j] * A(j, i) end
    y[i] = a
  end
end
local function AtAv(x, y, t, n) Av(x, t, n); Atv(t, y, n) end
local function spectralnorm(n)
  local u, v, t = {}, {}, {}
  for i = 1, n do u[i] = 1 end
  for _ = 1, 10 do AtAv(u, v, t, n); AtAv(v, u, t, n) end
  local vBv, vv = 0, 0
  for i = 1, n do
    local ui, vi = u[i], v[i]
    vBv = vBv + ui * vi; vv = vv + vi * vi
  end
  return math.sqrt(vBv / vv)
end

-- A string/table workload: build, sort and hash words (exercises the GC and strings).
local function words(count)
  local seed = 42
  local list = {}
  for i = 1, count do
    seed = (seed * 1103515245 + 12345) % 2147483648
    local len = 3 + seed % 8
    local w = {}
    local s = seed
    for k = 1, len do
      s = (s * 1103515245 + 12345) % 2147483648
      w[k] = string.char(97 + (s >> 16) % 26)
    end
    list[i] = table.concat(w)
  end
  table.sort(list)
  local h = 0
  for i = 1, #list, 97 do
    for c = 1, #list[i] do h = (h * 31 + string.byte(list[i], c)) % 4294967296 end
  end
  return list[1], list[#list], h
end

local n = 9
local checksum, maxflips = fannkuch(n)
print(string.format("fannkuch(%d): checksum %d, max flips %d", n, checksum, maxflips))

local steps = 100000 * scale
local b = bodies()
offset_momentum(b)
print(string.format("nbody: energy before %.9f", energy(b)))
advance(b, steps, 0.01)
print(string.format("nbody: energy after %d steps %.9f", steps, energy(b)))

local sn = 100 * scale
print(string.format("spectralnorm(%d): %.9f", sn, spectralnorm(sn)))

local first, last, h = words(50000 * scale)
print(string.format("words: first %s, last %s, hash %d", first, last, h))
