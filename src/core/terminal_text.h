// Text from input files, made safe to print on a terminal. Error and warning lines quote what
// a file says (a key, an id, the start of a line), and a file from a scanner or a mirror may
// say anything: an escape sequence that rewrites the terminal's title or hides the lines
// before it, a NUL, bytes that are not UTF-8.
#pragma once

#include <string>
#include <string_view>

namespace vigil {

// `text` with every control character (C0, DEL and C1, including line ends) and every byte
// that is not part of well-formed UTF-8 written as \xNN; everything else as it is.
std::string ForTerminal(std::string_view text);

}  // namespace vigil
