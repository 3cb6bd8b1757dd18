#include "policy/key_suggestion.h"

#include <algorithm>
#include <vector>

namespace wasi_socketd::policy {
namespace {

// Levenshtein distance with adjacent transpositions counted as one edit (optimal string
// alignment): "lisetners" is one edit from "listeners".
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t substitution = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + substitution});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

}  // namespace

std::optional<std::string> closest_key(std::string_view typo,
                                       const std::set<std::string, std::less<>>& known) {
  // Keys are short; a typo longer than any key by this much is not a typo of it.
  constexpr std::size_t kMaxDistance = 2;
  if (typo.size() > 64) return std::nullopt;
  std::optional<std::string> best;
  std::size_t best_distance = kMaxDistance + 1;
  for (const std::string& key : known) {
    const std::size_t distance = edit_distance(typo, key);
    if (distance < best_distance && distance * 2 < typo.size()) {
      best = key;
      best_distance = distance;
    }
  }
  return best;
}

}  // namespace wasi_socketd::policy
