// SARIF artifact URIs as finding locations: resolved against a run's originalUriBaseIds and
// expressed relative to the source root, so that a location does not depend on the machine or
// directory the code was checked out to.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace vigil {

// A path as vigil keeps it: "file:" and the authority slashes dropped, backslashes made
// slashes, percent-decoded, empty and "." segments removed (so no leading "/" or "./", no
// "//", no trailing "/"). A URI with another scheme keeps its "scheme://" prefix.
// "file:///C:/code/a%20b.c" → "C:/code/a b.c"; "./src//x/./y.c" → "src/x/y.c".
std::string NormalizeArtifactPath(std::string_view uri);

// A repository URL as an asset name: user info dropped, scheme and host lower-cased, no
// trailing "/" or ".git". "https://tok@GitHub.com/a/b.git/" → "https://github.com/a/b".
std::string NormalizeRepositoryUri(std::string_view uri);

class UriResolver {
 public:
  // `bases` is the run's originalUriBaseIds object (or nullptr) and must outlive the resolver;
  // `root_id` names the base that is the source root ("" when there is none).
  UriResolver(const nlohmann::json* bases, std::string root_id);

  // Whether the run defines the base id.
  bool Has(const std::string& id) const;

  // The URI with its base ids replaced by what they stand for ("" with a base id: the base
  // itself); nullopt when a base in the chain is not defined. A relative result is relative
  // to an unnamed root.
  std::optional<std::string> Resolve(std::string_view uri, const std::string& base_id) const;

  // The normalized path of the artifact relative to the source root; a path outside the root,
  // or any path when the root is not known, is kept whole (normalized). A base id the run does
  // not define is read as the source root.
  std::string Location(std::string_view uri, const std::string& base_id) const;

 private:
  std::optional<std::string> Resolve(std::string_view uri, const std::string& base_id,
                                     int depth) const;

  const nlohmann::json* bases_;
  std::string root_id_;
  std::string root_;  // the root, normalized; empty when unknown
};

}  // namespace vigil
