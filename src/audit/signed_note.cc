#include "audit/signed_note.h"

#include <openssl/sha.h>

#include <charconv>

#include "core/base64.h"

namespace vigil::note {
namespace {

constexpr std::string_view kDash = "\xE2\x80\x94 ";  // U+2014 and a space
constexpr size_t kMaxSignatures = 100;

bool ValidText(std::string_view text) {
  // UTF-8 with no control characters but the newline.
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if ((c < 0x20 && c != '\n') || c == 0x7F) {
      return false;
    }
  }
  return !text.empty() && text.back() == '\n';
}

std::vector<std::string_view> Lines(std::string_view text) {
  std::vector<std::string_view> out;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    out.push_back(text.substr(0, nl));
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
  }
  return out;
}

}  // namespace

uint32_t KeyId(std::string_view name, std::string_view public_key) {
  std::string input(name);
  input += '\n';
  input += '\x01';
  input += public_key;
  unsigned char digest[32];
  SHA256(reinterpret_cast<const unsigned char*>(input.data()), input.size(), digest);
  return (uint32_t{digest[0]} << 24) | (uint32_t{digest[1]} << 16) | (uint32_t{digest[2]} << 8) |
         uint32_t{digest[3]};
}

std::string VerifierKey(std::string_view name, std::string_view public_key) {
  char hex[9];
  std::snprintf(hex, sizeof hex, "%08x", KeyId(name, public_key));
  return std::string(name) + "+" + hex + "+" + Base64Encode("\x01" + std::string(public_key));
}

Result<Verifier> ParseVerifierKey(std::string_view text) {
  // The name holds no '+'; the base64 key may.
  size_t mid = text.find('+');
  size_t last = mid == std::string_view::npos ? mid : text.find('+', mid + 1);
  if (mid == 0 || last == std::string_view::npos) {
    return InvalidInput("a verifier key is NAME+KEYID+KEY");
  }
  Verifier v;
  v.name = std::string(text.substr(0, mid));
  std::string_view id = text.substr(mid + 1, last - mid - 1);
  if (id.size() != 8 ||
      std::from_chars(id.data(), id.data() + 8, v.key_id, 16).ptr != id.data() + 8) {
    return InvalidInput("the key ID of a verifier key is 8 hex digits");
  }
  ASSIGN_OR_RETURN(std::string key, Base64Decode(text.substr(last + 1)));
  if (key.size() != 33 || key[0] != '\x01') {
    return InvalidInput("only Ed25519 verifier keys (type 0x01, 32 bytes) are supported");
  }
  v.public_key = key.substr(1);
  if (KeyId(v.name, v.public_key) != v.key_id) {
    return InvalidInput("the key ID of the verifier key does not match its name and key");
  }
  return v;
}

Result<std::string> Sign(std::string_view text, std::string_view name, const Ed25519Key& key) {
  if (!ValidText(text)) {
    return InvalidInput("a note text is UTF-8 without control characters and ends in a newline");
  }
  ASSIGN_OR_RETURN(std::string sig, key.Sign(text));
  uint32_t id = KeyId(name, key.public_key());
  std::string blob;
  for (int shift = 24; shift >= 0; shift -= 8) {
    blob += static_cast<char>((id >> shift) & 0xFF);
  }
  blob += sig;
  return std::string(text) + "\n" + std::string(kDash) + std::string(name) + " " +
         Base64Encode(blob) + "\n";
}

Result<Opened> Open(std::string_view note, const std::vector<Verifier>& known) {
  size_t split = note.rfind("\n\n");
  if (split == std::string_view::npos) {
    return InvalidInput("not a signed note: no blank line before the signatures");
  }
  Opened out;
  out.text = std::string(note.substr(0, split + 1));
  if (!ValidText(out.text)) {
    return InvalidInput("the note text is not valid");
  }
  std::string_view sigs = note.substr(split + 2);
  if (sigs.empty() || sigs.back() != '\n') {
    return InvalidInput("the signature lines must end in a newline");
  }
  std::vector<std::string_view> lines = Lines(sigs);
  if (lines.empty() || lines.size() > kMaxSignatures) {
    return InvalidInput("a note has 1 to " + std::to_string(kMaxSignatures) + " signatures");
  }
  for (std::string_view line : lines) {
    if (line.substr(0, kDash.size()) != kDash) {
      return InvalidInput("a signature line starts with an em dash and a space");
    }
    line.remove_prefix(kDash.size());
    size_t space = line.rfind(' ');
    if (space == std::string_view::npos || space == 0) {
      return InvalidInput("a signature line is '— NAME SIGNATURE'");
    }
    std::string_view name = line.substr(0, space);
    ASSIGN_OR_RETURN(std::string blob, Base64Decode(line.substr(space + 1)));
    if (blob.size() < 5) {
      return InvalidInput("a signature is a key ID and a signature");
    }
    uint32_t id = 0;
    for (int i = 0; i < 4; ++i) {
      id = (id << 8) | static_cast<unsigned char>(blob[i]);
    }
    const Verifier* key = nullptr;
    for (const auto& k : known) {
      if (k.name == name && k.key_id == id) {
        key = &k;
      }
    }
    if (key == nullptr) {
      ++out.unknown_signatures;
      continue;
    }
    if (!VerifyEd25519(key->public_key, out.text, blob.substr(4))) {
      return InvalidInput("the signature of " + std::string(name) + " does not verify");
    }
    out.verified_by.push_back(key->name);
  }
  if (out.verified_by.empty()) {
    return InvalidInput("no signature by a known key");
  }
  return out;
}

std::string CheckpointText(const Checkpoint& c) {
  std::string out =
      c.origin + "\n" + std::to_string(c.size) + "\n" + merkle::ToBase64(c.root) + "\n";
  for (const auto& e : c.extensions) {
    out += e + "\n";
  }
  return out;
}

Result<Checkpoint> ParseCheckpoint(std::string_view text) {
  std::vector<std::string_view> lines = Lines(text);
  if (lines.size() < 3 || text.empty() || text.back() != '\n') {
    return InvalidInput("a checkpoint has an origin, a tree size and a root hash, each on a line");
  }
  Checkpoint c;
  c.origin = std::string(lines[0]);
  if (c.origin.empty()) {
    return InvalidInput("the checkpoint's origin is empty");
  }
  std::string_view size = lines[1];
  if (size.empty() || (size.size() > 1 && size[0] == '0') ||
      std::from_chars(size.data(), size.data() + size.size(), c.size).ptr !=
          size.data() + size.size()) {
    return InvalidInput("the checkpoint's tree size is not a decimal number");
  }
  ASSIGN_OR_RETURN(c.root, merkle::FromBase64(lines[2]));
  for (size_t i = 3; i < lines.size(); ++i) {
    if (lines[i].empty()) {
      return InvalidInput("a checkpoint's extension lines are not empty");
    }
    c.extensions.emplace_back(lines[i]);
  }
  return c;
}

}  // namespace vigil::note
