// --db values: which backend, a name for the log's origin, and what may be shown.
#include "core/database_url.h"

#include <gtest/gtest.h>

namespace vigil {
namespace {

TEST(DatabaseUrl, TellsPostgresFromSqlite) {
  EXPECT_TRUE(IsPostgresUrl("postgresql:///vigil?host=/run/postgresql"));
  EXPECT_TRUE(IsPostgresUrl("postgres://u@db.example.org/vigil"));
  EXPECT_FALSE(IsPostgresUrl("sqlite:/var/lib/vigil/vigil.db"));
  EXPECT_FALSE(IsPostgresUrl("postgresql.db"));
  EXPECT_FALSE(IsPostgresUrl("./postgres://x"));
}

TEST(DatabaseUrl, NeverShowsAPassword) {
  EXPECT_EQ(RedactedUrl("postgresql://vigil:s3cret@db.example.org:5432/vigil"),
            "postgresql://vigil:***@db.example.org:5432/vigil");
  EXPECT_EQ(RedactedUrl("postgresql:///vigil?host=/tmp/s&user=v&password=s3cret&sslmode=require"),
            "postgresql:///vigil?host=/tmp/s&user=v&password=***&sslmode=require");
  // A password with '@' in it: the host is after the last '@'.
  EXPECT_EQ(RedactedUrl("postgresql://u:p@ss@host/db"), "postgresql://u:***@host/db");
  EXPECT_EQ(RedactedUrl("postgresql://u@host"), "postgresql://u@host");
  EXPECT_EQ(RedactedUrl("postgresql://host/db"), "postgresql://host/db");
  EXPECT_EQ(RedactedUrl("/var/lib/vigil/vigil.db"), "/var/lib/vigil/vigil.db");
  for (const char* url : {"postgresql://a:zzsecretzz@h/d", "postgresql:///d?password=zzsecretzz",
                          "postgres://a:zzsecretzz@h:1/d?password=zzsecretzz"}) {
    EXPECT_EQ(RedactedUrl(url).find("zzsecretzz"), std::string::npos) << url;
  }
}

TEST(DatabaseUrl, NamesTheDatabaseWithoutHostOrPassword) {
  EXPECT_EQ(DatabaseNameOf("/var/lib/vigil/vigil.db"), "vigil.db");
  EXPECT_EQ(DatabaseNameOf("sqlite:demo/my db+x.db"), "my_db_x.db");
  EXPECT_EQ(DatabaseNameOf("postgresql://u:pw@host:5432/ca_vulns?sslmode=require"), "ca_vulns");
  EXPECT_EQ(DatabaseNameOf("postgresql:///vigil?host=/tmp/s&password=pw"), "vigil");
  EXPECT_EQ(DatabaseNameOf("postgresql://host?dbname=other&password=pw"), "other");
  EXPECT_EQ(DatabaseNameOf("postgresql://host"), "postgresql");
}

}  // namespace
}  // namespace vigil
