// application/x-www-form-urlencoded (WHATWG URL, "application/x-www-form-urlencoded
// parsing"), as a browser sends the web UI's forms. With web/multipart.h, the request bodies
// of forms; neither needs more than core, so the fuzz target links them alone.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace vigil::web {

// The fields of a urlencoded body: '+' is a space, %XX a byte (a malformed escape stays as
// it is), a pair without '=' has an empty value, a pair with an empty name is dropped; the
// values of a field given more than once (a multiple select) are joined with "\n".
std::map<std::string, std::string> ParseForm(std::string_view body);

}  // namespace vigil::web
