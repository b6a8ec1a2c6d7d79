// The web UI's HTML helpers and its multipart reader: every text escaped, forms decoded as
// browsers encode them, and hostile multipart bodies refused with a clear error.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "support/temp_dir.h"
#include "web/forms.h"
#include "web/html.h"
#include "web/multipart.h"

namespace vigil::web {
namespace {

TEST(HtmlTest, EscapesEveryCharacterThatCouldOpenMarkup) {
  EXPECT_EQ(html::Escape("<script>alert('x')</script> & \"y\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;y&quot;");
  EXPECT_EQ(html::Escape("plain"), "plain");
  EXPECT_EQ(html::UrlEncode("tenable:1 /?#&\"<"), "tenable:1%20%2F%3F%23%26%22%3C");
}

TEST(HtmlTest, TablesEscapeCellsHeadingsAndLinks) {
  view::Table t;
  t.columns = {{"key", "<b>KEY</b>"}, {"n", "N"}, {"list", "LIST"}};
  t.rows.push_back({std::string("\"><img src=x onerror=alert(1)>"), int64_t{3},
                    std::vector<std::string>{"<a>", "b"}});
  t.rows.push_back({nullptr, 2.5, std::vector<std::string>{}});
  std::string out =
      html::Table(t, {.caption = "<i>cap</i>", .link_column = "key", .link_prefix = "/v/"});
  EXPECT_EQ(out.find("<img"), std::string::npos) << out;
  EXPECT_EQ(out.find("<b>"), std::string::npos);
  EXPECT_EQ(out.find("<i>"), std::string::npos);
  EXPECT_EQ(out.find("<a>"), std::string::npos);
  EXPECT_NE(out.find("href=\"/v/%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E\""),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("<td>&lt;a&gt;, b</td>"), std::string::npos) << out;
  EXPECT_NE(out.find("<td>2.5</td>"), std::string::npos);
  nlohmann::ordered_json rows = nlohmann::ordered_json::array(
      {{{"host", "<script>x</script>"}, {"ports", {80, 443}}, {"none", nullptr}}});
  std::string json_table = html::JsonTable(rows, "<caption>");
  EXPECT_EQ(json_table.find("<script>"), std::string::npos) << json_table;
  EXPECT_NE(json_table.find("<td>80, 443</td>"), std::string::npos) << json_table;
}

TEST(HtmlTest, PagesCarryTheCsrfTokenAndEscapeTheTitle) {
  std::string page = html::Page(
      {.title = "<t>", .user = "bob<", .role = "analyst", .csrf = "tok\"en", .current = "/"},
      "<p>body</p>");
  EXPECT_EQ(page.find("<t>"), std::string::npos);
  EXPECT_NE(page.find("name=\"csrf\" value=\"tok&quot;en\""), std::string::npos) << page;
  EXPECT_NE(page.find("aria-current=\"page\""), std::string::npos);
  EXPECT_EQ(page.find("href=\"/users\""), std::string::npos);  // not for analysts
  EXPECT_EQ(page.find("<script"), std::string::npos);
  EXPECT_EQ(page.find("style="), std::string::npos);
}

TEST(HtmlTest, FormsDecodeAsBrowsersEncode) {
  auto f = ParseForm("user=bob&password=a+b%26c%3D&empty=&novalue&bad=%zz%4&x=1&x=2");
  EXPECT_EQ(f["user"], "bob");
  EXPECT_EQ(f["password"], "a b&c=");
  EXPECT_EQ(f["empty"], "");
  EXPECT_EQ(f.count("novalue"), 1u);
  EXPECT_EQ(f["bad"], "%zz%4");
  EXPECT_EQ(f["x"], "1\n2");
  EXPECT_TRUE(ParseForm("").empty());
  EXPECT_EQ(ParseForm("a=%00b")["a"], std::string("\0b", 2));
}

class MultipartTest : public ::testing::Test {
 protected:
  Result<MultipartForm> Parse(const std::string& body,
                              const std::string& type = "multipart/form-data; boundary=XyZ") {
    std::string in = dir_.Write("body" + std::to_string(++n_), body);
    out_ = (dir_.path() / ("out" + std::to_string(n_))).string();
    return ParseMultipart(in, type, out_);
  }
  std::string Out() const {
    std::ifstream f(out_, std::ios::binary);
    std::stringstream s;
    s << f.rdbuf();
    return s.str();
  }

  testing::TempDir dir_;
  std::string out_;
  int n_ = 0;
};

TEST_F(MultipartTest, KeepsTheFieldsAndWritesTheFile) {
  std::string report = "<xml>\r\n--XyZ is not a boundary here\r\n--XyZnot\r\n</xml>";
  auto form = Parse(
      "--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\ntoken\r\n"
      "--XyZ\r\nContent-Disposition: form-data; name=\"scanner\"\r\n\r\nnet weekly\r\n"
      "--XyZ\r\nContent-Disposition: form-data; name=\"report\"; filename=\"a;b.nessus\"\r\n"
      "Content-Type: application/octet-stream\r\n\r\n" +
      report + "\r\n--XyZ--\r\n");
  ASSERT_TRUE(form.ok()) << form.status().message();
  EXPECT_EQ(form->fields["csrf"], "token");
  EXPECT_EQ(form->fields["scanner"], "net weekly");
  EXPECT_TRUE(form->has_file);
  EXPECT_EQ(form->file_field, "report");
  EXPECT_EQ(form->file_name, "a;b.nessus");
  EXPECT_EQ(Out(), report);
}

TEST_F(MultipartTest, QuotedBoundariesAndEmptyFiles) {
  auto form = Parse(
      "--a b\r\nContent-Disposition: form-data; name=\"report\"; filename=\"x\"\r\n\r\n"
      "\r\n--a b--",
      "multipart/form-data; boundary=\"a b\"");
  ASSERT_TRUE(form.ok()) << form.status().message();
  EXPECT_TRUE(form->has_file);
  EXPECT_EQ(Out(), "");
}

TEST_F(MultipartTest, RefusesMalformedBodies) {
  struct Case {
    std::string body, type, says;
  };
  std::string big(70 * 1024, 'x');
  for (const Case& c : {
           Case{"--XyZ--", "application/json", "multipart/form-data"},
           Case{"--XyZ--", "multipart/form-data", "boundary"},
           Case{"--XyZ--", "multipart/form-data; boundary=" + std::string(71, 'b'), "boundary"},
           Case{"garbage", "", "begin with its boundary"},
           Case{"--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nno end", "",
                "ends inside a part"},
           Case{"--XyZ\r\nContent-Disposition: form-data; name=\"a\"", "", "end of headers"},
           Case{"--XyZjunk", "", "malformed"},
           Case{"--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n" + big + "\r\n--XyZ--",
                "", "larger than 64 KiB"},
       }) {
    auto form = Parse(c.body, c.type.empty() ? "multipart/form-data; boundary=XyZ" : c.type);
    ASSERT_FALSE(form.ok()) << c.body.substr(0, 40);
    EXPECT_EQ(form.status().code(), ErrorCode::kInvalidInput);
    EXPECT_NE(form.status().message().find(c.says), std::string::npos) << form.status().message();
  }
  std::string many;
  for (int i = 0; i < 70; ++i) {
    many +=
        "--XyZ\r\nContent-Disposition: form-data; name=\"f" + std::to_string(i) + "\"\r\n\r\nv\r\n";
  }
  EXPECT_FALSE(Parse(many + "--XyZ--").ok());
}

}  // namespace
}  // namespace vigil::web
