#include "web/forms.h"

#include "core/text.h"

namespace vigil::web {

std::map<std::string, std::string> ParseForm(std::string_view body) {
  auto decode = [](std::string_view s) {
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
      if (s[i] == '+') {
        out += ' ';
      } else if (s[i] == '%') {
        int hi = i + 1 < s.size() ? HexDigitValue(s[i + 1]) : -1;
        int lo = i + 2 < s.size() ? HexDigitValue(s[i + 2]) : -1;
        if (hi < 0 || lo < 0) {
          out += s[i];
          continue;
        }
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
      } else {
        out += s[i];
      }
    }
    return out;
  };
  std::map<std::string, std::string> out;
  size_t start = 0;
  while (start < body.size()) {
    size_t end = body.find('&', start);
    if (end == std::string_view::npos) {
      end = body.size();
    }
    std::string_view pair = body.substr(start, end - start);
    size_t eq = pair.find('=');
    std::string key = decode(pair.substr(0, eq));
    std::string value = eq == std::string_view::npos ? "" : decode(pair.substr(eq + 1));
    if (!key.empty()) {
      auto [it, inserted] = out.emplace(key, value);
      if (!inserted) {
        it->second += "\n" + value;  // a field given twice (a multiple select)
      }
    }
    start = end + 1;
  }
  return out;
}

}  // namespace vigil::web
