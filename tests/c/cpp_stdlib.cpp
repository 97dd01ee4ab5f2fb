// A C++ program that leans on libc++ (built with `zig c++ -target wasm32-wasi
// -fno-exceptions`): virtual calls through vtables, std::function, lambdas, templates,
// containers, std::regex, iostreams and float formatting. Its output is deterministic and
// is tests/c/cpp_stdlib.expected, made with wasmtime; tests/tests/all/cpp_stdlib.rs runs
// it on every Kiln path. `argv[1]`, when given, scales the work (the output names it).
#include <algorithm>
#include <bitset>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <functional>
#include <iomanip>
#include <iostream>
#include <map>
#include <memory>
#include <numeric>
#include <optional>
#include <queue>
#include <random>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <unordered_map>
#include <variant>
#include <vector>

namespace {

struct Shape {
    virtual ~Shape() = default;
    virtual double area() const = 0;
    virtual const char* name() const = 0;
};
struct Circle final : Shape {
    double r;
    explicit Circle(double r) : r(r) {}
    double area() const override { return M_PI * r * r; }
    const char* name() const override { return "circle"; }
};
struct Rect final : Shape {
    double w, h;
    Rect(double w, double h) : w(w), h(h) {}
    double area() const override { return w * h; }
    const char* name() const override { return "rect"; }
};
struct Triangle final : Shape {
    double a, b, c;
    Triangle(double a, double b, double c) : a(a), b(b), c(c) {}
    double area() const override {
        double s = (a + b + c) / 2;
        return std::sqrt(std::max(0.0, s * (s - a) * (s - b) * (s - c)));
    }
    const char* name() const override { return "triangle"; }
};

void shapes(int scale) {
    std::mt19937_64 rng(12345);
    std::uniform_real_distribution<double> ud(0.0, 10.0);
    std::vector<std::unique_ptr<Shape>> all;
    for (int i = 0; i < 20000 * scale; i++) {
        switch (rng() % 3) {
            case 0: all.push_back(std::make_unique<Circle>(ud(rng))); break;
            case 1: all.push_back(std::make_unique<Rect>(ud(rng), ud(rng))); break;
            default: all.push_back(std::make_unique<Triangle>(ud(rng), ud(rng), ud(rng)));
        }
    }
    std::stable_sort(all.begin(), all.end(),
                     [](const auto& x, const auto& y) { return x->area() < y->area(); });
    std::map<std::string, std::pair<int, double>> by_name;
    for (const auto& s : all) {
        auto& e = by_name[s->name()];
        e.first++;
        e.second += s->area();
    }
    std::cout << std::setprecision(17) << "shapes: smallest " << all.front()->area() << " ("
              << all.front()->name() << "), largest " << all.back()->area() << " ("
              << all.back()->name() << ")\n";
    for (const auto& [n, e] : by_name) std::cout << "  " << n << " " << e.first << " " << e.second << "\n";
}

void text() {
    const std::string t =
        "It was the best of times, it was the worst of times, it was the age of wisdom, "
        "it was the age of foolishness, it was the epoch of belief, it was the epoch of "
        "incredulity, it was the season of Light, it was the season of Darkness";
    std::map<std::string, int> words;
    std::regex word("[A-Za-z]+");
    for (auto it = std::sregex_iterator(t.begin(), t.end(), word); it != std::sregex_iterator(); ++it) {
        std::string w = it->str();
        std::transform(w.begin(), w.end(), w.begin(), [](unsigned char c) { return std::tolower(c); });
        words[w]++;
    }
    std::vector<std::pair<std::string, int>> ranked(words.begin(), words.end());
    std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
        return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
    std::cout << "words:";
    for (size_t i = 0; i < 6; i++) std::cout << " " << ranked[i].first << "=" << ranked[i].second;
    std::cout << "\n";
    std::cout << "regex_replace: " << std::regex_replace(std::string("2026-12-05 and 1999-01-31"),
                                                         std::regex("(\\d{4})-(\\d{2})-(\\d{2})"),
                                                         "$3/$2/$1")
              << "\n";
    std::smatch m;
    std::string mail = "contact: kiln.dev+tests@example.org, later";
    if (std::regex_search(mail, m, std::regex("([\\w.+]+)@([\\w.]+)")))
        std::cout << "regex_search: user " << m[1] << " host " << m[2] << "\n";
    std::size_t h = std::hash<std::string>{}(t);
    std::cout << "hash: " << h << " bitset " << std::bitset<16>(h & 0xffff) << "\n";
}

void graph(int scale) {
    // Dijkstra on a generated graph: priority_queue, vectors of vectors.
    const int n = 2000 * scale;
    std::minstd_rand rng(7);
    std::vector<std::vector<std::pair<int, int>>> adj(n);
    for (int i = 0; i < n; i++)
        for (int k = 0; k < 5; k++) adj[i].push_back({int(rng() % n), int(rng() % 100) + 1});
    std::vector<long long> dist(n, -1);
    std::priority_queue<std::pair<long long, int>, std::vector<std::pair<long long, int>>, std::greater<>> q;
    q.push({0, 0});
    while (!q.empty()) {
        auto [d, u] = q.top();
        q.pop();
        if (dist[u] != -1) continue;
        dist[u] = d;
        for (auto [v, w] : adj[u])
            if (dist[v] == -1) q.push({d + w, v});
    }
    long long reached = std::count_if(dist.begin(), dist.end(), [](long long d) { return d >= 0; });
    long long far = *std::max_element(dist.begin(), dist.end());
    long long sum = std::accumulate(dist.begin(), dist.end(), 0LL);
    std::cout << "dijkstra: reached " << reached << " farthest " << far << " sum " << sum << "\n";
}

void memo() {
    std::unordered_map<long long, int> cache;
    std::function<int(long long)> steps = [&](long long n) -> int {
        if (n == 1) return 0;
        if (auto it = cache.find(n); it != cache.end()) return it->second;
        int r = 1 + steps(n % 2 ? 3 * n + 1 : n / 2);
        cache[n] = r;
        return r;
    };
    int best = 0;
    long long arg = 0;
    for (long long i = 1; i < 30000; i++)
        if (int s = steps(i); s > best) best = s, arg = i;
    std::cout << "collatz: " << arg << " takes " << best << " steps (" << cache.size() << " cached)\n";
}

void values() {
    using V = std::variant<int, double, std::string, std::vector<int>>;
    std::vector<V> vs{42, 2.5, std::string("kiln"), std::vector<int>{3, 1, 2}};
    std::ostringstream os;
    for (const auto& v : vs)
        std::visit(
            [&](const auto& x) {
                using T = std::decay_t<decltype(x)>;
                if constexpr (std::is_same_v<T, std::vector<int>>) {
                    os << "[";
                    for (int e : x) os << e << ";";
                    os << "]";
                } else {
                    os << x;
                }
                os << "|";
            },
            v);
    std::cout << "variant: " << os.str() << "\n";

    std::shared_ptr<std::deque<int>> owner = std::make_shared<std::deque<int>>();
    std::weak_ptr<std::deque<int>> watch = owner;
    for (int i = 0; i < 10; i++) i % 2 ? owner->push_back(i) : owner->push_front(i);
    std::cout << "deque:";
    for (int e : *watch.lock()) std::cout << " " << e;
    owner.reset();
    std::cout << " expired " << watch.expired() << "\n";

    std::set<std::string> ordered{"pear", "apple", "fig", "banana", "apple"};
    std::optional<std::string> longest;
    for (const auto& s : ordered)
        if (!longest || s.size() > longest->size()) longest = s;
    std::cout << "set: " << ordered.size() << " first " << *ordered.begin() << " longest " << longest.value_or("") << "\n";

    char buf[64];
    std::cout << "to_chars:";
    for (double d : {0.1, 1e300 * 10, -0.0, 5e-324, 123456789.125, 1.0 / 3, std::nan("")}) {
        auto r = std::to_chars(buf, buf + sizeof buf, d);
        std::cout << " " << std::string(buf, r.ptr);
    }
    std::cout << "\n";
    long long parsed = 0;
    const char num[] = "-9007199254740993";
    std::from_chars(num, num + sizeof num - 1, parsed);
    std::cout << "from_chars: " << parsed << " strtod " << std::strtod("0x1.8p3", nullptr) << "\n";
    std::printf("printf: %a %.30g %e %g %08.3f %x\n", 1.0 / 3, std::sqrt(2.0), std::exp(-700.0),
                std::lgamma(0.5), -3.14159, 0xdeadbeefu);
    std::cout << std::fixed << std::setprecision(4) << "fixed: " << std::cbrt(-27.0) << " "
              << std::hypot(3.0, 4.0) << " " << std::fmod(10.5, 3.0) << " " << std::atan2(1.0, -1.0) << "\n";
}

}  // namespace

int main(int argc, char** argv) {
    int scale = argc > 1 ? std::atoi(argv[1]) : 1;
    if (scale < 1) scale = 1;
    std::cout << "scale " << scale << "\n";
    shapes(scale);
    text();
    graph(scale);
    memo();
    values();
    return 0;
}
