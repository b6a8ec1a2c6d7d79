#include "audit/ed25519.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace vigil {

struct Ed25519Key::Impl {
  EVP_PKEY* key = nullptr;
  ~Impl() { EVP_PKEY_free(key); }
};

Ed25519Key::Ed25519Key(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {
  size_t n = 32;
  public_key_.resize(n);
  EVP_PKEY_get_raw_public_key(impl_->key, reinterpret_cast<unsigned char*>(public_key_.data()), &n);
  public_key_.resize(n);
}
Ed25519Key::Ed25519Key(Ed25519Key&&) noexcept = default;
Ed25519Key& Ed25519Key::operator=(Ed25519Key&&) noexcept = default;
Ed25519Key::~Ed25519Key() = default;

Result<Ed25519Key> Ed25519Key::Generate() {
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nullptr);
  auto impl = std::make_unique<Impl>();
  bool ok =
      ctx != nullptr && EVP_PKEY_keygen_init(ctx) == 1 && EVP_PKEY_keygen(ctx, &impl->key) == 1;
  EVP_PKEY_CTX_free(ctx);
  if (!ok) {
    return Internal("cannot generate an Ed25519 key");
  }
  return Ed25519Key(std::move(impl));
}

Result<Ed25519Key> Ed25519Key::FromSeed(std::string_view seed) {
  if (seed.size() != 32) {
    return InvalidInput("an Ed25519 private key is 32 bytes");
  }
  auto impl = std::make_unique<Impl>();
  impl->key = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr,
                                           reinterpret_cast<const unsigned char*>(seed.data()), 32);
  if (impl->key == nullptr) {
    return InvalidInput("not an Ed25519 private key");
  }
  return Ed25519Key(std::move(impl));
}

Result<Ed25519Key> Ed25519Key::Load(const std::string& path) {
  if (path.empty()) {
    return FailedPrecondition(
        "no signing key file is configured: set [audit] key_file (a PostgreSQL database has no "
        "directory to keep the key beside; every server of one database needs the same key)");
  }
  FILE* f = std::fopen(path.c_str(), "r");
  if (f == nullptr) {
    return IoError("cannot read the signing key '" + path + "'");
  }
  // A key others can read signs for them: refused whenever it is used, not only at init.
  struct stat st {};
  if (::fstat(::fileno(f), &st) == 0 && (st.st_mode & 077) != 0) {
    std::fclose(f);
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    return FailedPrecondition("the signing key file '" + path + "' is mode " + mode +
                              ": others could read or replace it and sign in this log's name; "
                              "run chmod 600 '" +
                              path + "'; nothing was signed");
  }
  auto impl = std::make_unique<Impl>();
  impl->key = PEM_read_PrivateKey(f, nullptr, nullptr, nullptr);
  std::fclose(f);
  if (impl->key == nullptr || EVP_PKEY_get_id(impl->key) != EVP_PKEY_ED25519) {
    return InvalidInput("'" + path + "' is not an Ed25519 private key in PEM");
  }
  return Ed25519Key(std::move(impl));
}

Status Ed25519Key::Save(const std::string& path) const {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0) {
    return IoError("cannot create the signing key file '" + path + "' (it must not exist already)");
  }
  FILE* f = ::fdopen(fd, "w");
  if (f == nullptr) {
    ::close(fd);
    return IoError("cannot write '" + path + "'");
  }
  bool ok = PEM_write_PrivateKey(f, impl_->key, nullptr, nullptr, 0, nullptr, nullptr) == 1;
  ok = std::fclose(f) == 0 && ok;
  if (!ok) {
    return IoError("cannot write the signing key to '" + path + "'");
  }
  return Status::Ok();
}

namespace {

// "uid 1000 (alice)", or "uid 1000" when the password database does not know it.
std::string DescribeUid(uid_t uid) {
  std::string out = "uid " + std::to_string(uid);
  if (const passwd* pw = ::getpwuid(uid); pw != nullptr && pw->pw_name != nullptr) {
    out += " (" + std::string(pw->pw_name) + ")";
  }
  return out;
}

std::string OctalMode(mode_t mode) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(mode & 07777));
  return buf;
}

}  // namespace

Status CheckKeyFileIsPrivate(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) {
      return Status::Ok();
    }
    return IoError("cannot inspect the signing key file '" + path + "': " + std::strerror(errno));
  }
  uid_t me = ::geteuid();
  if (S_ISREG(st.st_mode) && st.st_uid == me && (st.st_mode & 077) == 0) {
    return Status::Ok();
  }
  std::string what = S_ISREG(st.st_mode)
                         ? "mode " + OctalMode(st.st_mode)
                         : "not a regular file (mode " + OctalMode(st.st_mode) + ")";
  return FailedPrecondition(
      "the signing key file '" + path + "' already exists and is " + what + ", owned by " +
      DescribeUid(st.st_uid) +
      ": an existing key is adopted only when it is a file of mode 0600 owned by the user "
      "running vigil (" +
      DescribeUid(me) + "); if it is the key to use, run chmod 600 '" + path +
      "' (and chown it to that user), otherwise move it away so that 'vigil init' creates a new "
      "key; nothing was changed");
}

Result<std::string> Ed25519Key::Sign(std::string_view message) const {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  std::string sig(64, '\0');
  size_t n = sig.size();
  bool ok =
      ctx != nullptr && EVP_DigestSignInit(ctx, nullptr, nullptr, nullptr, impl_->key) == 1 &&
      EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &n,
                     reinterpret_cast<const unsigned char*>(message.data()), message.size()) == 1;
  EVP_MD_CTX_free(ctx);
  if (!ok || n != 64) {
    return Internal("Ed25519 signing failed");
  }
  return sig;
}

bool VerifyEd25519(std::string_view public_key, std::string_view message,
                   std::string_view signature) {
  if (public_key.size() != 32 || signature.size() != 64) {
    return false;
  }
  EVP_PKEY* key = EVP_PKEY_new_raw_public_key(
      EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(public_key.data()), 32);
  if (key == nullptr) {
    return false;
  }
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  bool ok =
      ctx != nullptr && EVP_DigestVerifyInit(ctx, nullptr, nullptr, nullptr, key) == 1 &&
      EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(signature.data()), 64,
                       reinterpret_cast<const unsigned char*>(message.data()), message.size()) == 1;
  EVP_MD_CTX_free(ctx);
  EVP_PKEY_free(key);
  return ok;
}

}  // namespace vigil
