// Permissions: canonicalization (symlinks, "..", paths that do not exist yet) and the allow list.
#include "runtime/permissions.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <climits>
#include <cstdlib>
#include <fstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace v8snap {
namespace {

using ::testing::HasSubstr;

// A tree in a fresh temp folder (its own path canonical, since /tmp may be a symlink):
//   allowed/file.txt  allowed/sub/  allowed/link_in -> file.txt
//   allowed/link_out -> ../secret   allowed/abs_out -> <root>/secret
//   allowed/dangling_out -> ../secret/new.txt   allowed/loop -> loop
//   secret/s.txt   alias -> allowed   allowed2/x.txt
class PermissionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/v8snap-permissions-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    char real[PATH_MAX];
    ASSERT_NE(realpath(tmpl, real), nullptr);
    root_ = real;
    for (const char* dir : {"allowed", "allowed/sub", "secret", "allowed2"}) {
      ASSERT_EQ(mkdir(Path(dir).c_str(), 0755), 0);
    }
    for (const char* file : {"allowed/file.txt", "secret/s.txt", "allowed2/x.txt"}) {
      std::ofstream(Path(file)) << "x";
    }
    Link("file.txt", "allowed/link_in");
    Link("../secret", "allowed/link_out");
    Link(Path("secret"), "allowed/abs_out");
    Link("../secret/new.txt", "allowed/dangling_out");
    Link("loop", "allowed/loop");
    Link("allowed", "alias");
    ASSERT_TRUE(permissions_.Allow(Access::kRead, Path("allowed")).ok());
    ASSERT_TRUE(permissions_.Allow(Access::kWrite, Path("allowed")).ok());
  }
  void TearDown() override { std::system(("rm -rf '" + root_ + "'").c_str()); }

  std::string Path(const std::string& relative) const { return root_ + "/" + relative; }
  void Link(const std::string& target, const std::string& name) {
    ASSERT_EQ(symlink(target.c_str(), Path(name).c_str()), 0);
  }

  std::string root_;
  Permissions permissions_;
};

TEST_F(PermissionsTest, CanonicalizeResolvesSymlinksDotsAndMissingTails) {
  struct Case {
    std::string path;
    std::string expected;
  };
  for (const Case& c : std::vector<Case>{
           {"allowed/file.txt", "allowed/file.txt"},
           {"allowed/./sub/../file.txt", "allowed/file.txt"},
           {"allowed/link_in", "allowed/file.txt"},
           {"allowed/link_out/s.txt", "secret/s.txt"},
           {"allowed/abs_out/s.txt", "secret/s.txt"},
           {"allowed/dangling_out", "secret/new.txt"},
           {"allowed/new/deeper/x.txt", "allowed/new/deeper/x.txt"},
           {"alias/file.txt", "allowed/file.txt"},
           {"allowed/sub/", "allowed/sub"},
           {"alias/", "allowed"},
       }) {
    absl::StatusOr<std::string> canonical = CanonicalizePath(Path(c.path));
    ASSERT_TRUE(canonical.ok()) << c.path << ": " << canonical.status();
    EXPECT_EQ(*canonical, Path(c.expected)) << c.path;
  }
}

// "." and ".." apply to what the path leads to, as in the kernel: not a way to walk back out of
// a file or a folder that does not exist.
TEST_F(PermissionsTest, ResolutionIsNotLexical) {
  struct Case {
    std::string path;
    int error;
  };
  for (const Case& c : std::vector<Case>{
           {"allowed/file.txt/", ENOTDIR},
           {"allowed/file.txt/.", ENOTDIR},
           {"allowed/file.txt/..", ENOTDIR},
           {"allowed/file.txt/x", ENOTDIR},
           {"allowed/link_in/", ENOTDIR},  // a symlink to a file, with a trailing slash
           {"allowed/missing/..", ENOENT},
           {"allowed/missing/../link_out/s.txt", ENOENT},
           {"allowed/missing/./x", ENOENT},
       }) {
    absl::StatusOr<std::string> canonical = CanonicalizePath(Path(c.path));
    EXPECT_EQ(ErrnoOf(canonical.status()), c.error) << c.path << ": " << canonical.status();
  }
}

// procfs says its links are 0 bytes long; their targets must still be read whole.
TEST_F(PermissionsTest, ProcSelfLinksResolveWhole) {
  char cwd[PATH_MAX];
  ASSERT_NE(getcwd(cwd, sizeof cwd), nullptr);
  absl::StatusOr<std::string> self = CanonicalizePath("/proc/self");
  ASSERT_TRUE(self.ok()) << self.status();
  EXPECT_EQ(*self, "/proc/" + std::to_string(getpid()));
  absl::StatusOr<std::string> via_cwd = CanonicalizePath("/proc/self/cwd");
  ASSERT_TRUE(via_cwd.ok()) << via_cwd.status();
  EXPECT_EQ(*via_cwd, cwd);
  Permissions grant;
  ASSERT_TRUE(grant.Allow(Access::kRead, "/proc/self/root" + Path("allowed")).ok());
  EXPECT_EQ(grant.roots(Access::kRead), std::vector<std::string>{Path("allowed")});
}

// Why a path outside the grant cannot be resolved is not the script's business: refused like
// any other path there. Inside the grant, the reason is the error.
TEST_F(PermissionsTest, FailedResolutionOutsideTheGrantIsDenied) {
  Link("loop", "secret/loop");
  for (const char* outside : {"secret/s.txt/..", "secret/missing/..", "secret/loop"}) {
    absl::StatusOr<std::string> checked = permissions_.Check(Access::kRead, Path(outside));
    EXPECT_EQ(checked.status().code(), absl::StatusCode::kPermissionDenied) << outside;
    EXPECT_EQ(ErrnoOf(checked.status()), 0) << outside;
  }
  absl::StatusOr<std::string> inside =
      permissions_.Check(Access::kRead, Path("allowed/file.txt/.."));
  EXPECT_EQ(ErrnoOf(inside.status()), ENOTDIR) << inside.status();
  EXPECT_EQ(ErrnoOf(permissions_.Check(Access::kRead, Path("allowed/loop")).status()), ELOOP);
  Permissions all;
  all.AllowAll(Access::kRead);
  EXPECT_EQ(ErrnoOf(all.Check(Access::kRead, Path("secret/loop")).status()), ELOOP);
}

TEST_F(PermissionsTest, RelativePathsResolveAgainstTheCurrentFolder) {
  char old_cwd[PATH_MAX];
  ASSERT_NE(getcwd(old_cwd, sizeof old_cwd), nullptr);
  ASSERT_EQ(chdir(Path("allowed/sub").c_str()), 0);
  absl::StatusOr<std::string> up = CanonicalizePath("../file.txt");
  absl::StatusOr<std::string> out = permissions_.Check(Access::kRead, "../../secret/s.txt");
  ASSERT_EQ(chdir(old_cwd), 0);
  ASSERT_TRUE(up.ok()) << up.status();
  EXPECT_EQ(*up, Path("allowed/file.txt"));
  EXPECT_EQ(out.status().code(), absl::StatusCode::kPermissionDenied);
}

TEST_F(PermissionsTest, NoFollowKeepsTheLastSymlink) {
  absl::StatusOr<std::string> link =
      CanonicalizePath(Path("alias/link_out"), FinalSymlink::kNoFollow);
  ASSERT_TRUE(link.ok()) << link.status();
  EXPECT_EQ(*link, Path("allowed/link_out"));
  // Removing the link itself is a write inside the allowed folder; following it is not.
  EXPECT_TRUE(
      permissions_.Check(Access::kWrite, Path("allowed/link_out"), FinalSymlink::kNoFollow).ok());
  EXPECT_FALSE(permissions_.Check(Access::kWrite, Path("allowed/link_out")).ok());
}

TEST_F(PermissionsTest, SymlinkLoopIsEloop) {
  absl::StatusOr<std::string> loop = CanonicalizePath(Path("allowed/loop"));
  ASSERT_FALSE(loop.ok());
  EXPECT_EQ(ErrnoOf(loop.status()), ELOOP);
}

TEST_F(PermissionsTest, AllowedAndDenied) {
  struct Case {
    Access access;
    std::string path;
    bool allowed;
  };
  for (const Case& c : std::vector<Case>{
           {Access::kRead, "allowed", true},
           {Access::kRead, "allowed/file.txt", true},
           {Access::kRead, "allowed/sub/../file.txt", true},
           {Access::kRead, "allowed/link_in", true},
           {Access::kWrite, "allowed/new/file.txt", true},
           {Access::kRead, "alias/file.txt", true},
           {Access::kRead, "allowed/../secret/s.txt", false},
           {Access::kRead, "allowed/link_out/s.txt", false},
           {Access::kRead, "allowed/abs_out/s.txt", false},
           {Access::kWrite, "allowed/dangling_out", false},
           {Access::kRead, "allowed2/x.txt", false},  // a sibling sharing the name's prefix
           {Access::kRead, "secret/s.txt", false},
       }) {
    absl::StatusOr<std::string> checked = permissions_.Check(c.access, Path(c.path));
    EXPECT_EQ(checked.ok(), c.allowed) << c.path << ": " << checked.status();
    if (!c.allowed) {
      EXPECT_EQ(checked.status().code(), absl::StatusCode::kPermissionDenied) << c.path;
    }
  }
  EXPECT_FALSE(permissions_.Check(Access::kRead, "/etc/passwd").ok());
}

TEST_F(PermissionsTest, DenialNamesThePathWhereItLeadsAndTheFlag) {
  absl::StatusOr<std::string> denied =
      permissions_.Check(Access::kRead, Path("allowed/link_out/s.txt"));
  ASSERT_FALSE(denied.ok());
  EXPECT_THAT(denied.status().message(),
              HasSubstr("read access to \"" + Path("allowed/link_out/s.txt") +
                        "\" (resolved to \"" + Path("secret/s.txt") + "\") is denied"));
  EXPECT_THAT(denied.status().message(), HasSubstr("--allow-read=" + Path("secret/s.txt")));
  absl::StatusOr<std::string> write = permissions_.Check(Access::kWrite, "/etc/x");
  EXPECT_THAT(write.status().message(), HasSubstr("write access to \"/etc/x\" is denied"));
  EXPECT_THAT(write.status().message(), HasSubstr("--allow-write=/etc/x"));
}

TEST_F(PermissionsTest, NothingIsAllowedByDefaultAndAllowAllAllowsEverything) {
  Permissions none;
  EXPECT_FALSE(none.Check(Access::kRead, Path("allowed/file.txt")).ok());
  EXPECT_FALSE(none.Check(Access::kWrite, Path("allowed/file.txt")).ok());
  Permissions all;
  all.AllowAll(Access::kRead);
  EXPECT_TRUE(all.Check(Access::kRead, "/etc/passwd").ok());
  EXPECT_FALSE(all.Check(Access::kWrite, "/tmp/x").ok()) << "read does not imply write";
}

TEST_F(PermissionsTest, GrantsAreCanonicalizedWhenGiven) {
  Permissions via_alias;
  ASSERT_TRUE(via_alias.Allow(Access::kRead, Path("alias")).ok());
  EXPECT_EQ(via_alias.roots(Access::kRead), std::vector<std::string>{Path("allowed")});
  EXPECT_TRUE(via_alias.Check(Access::kRead, Path("allowed/file.txt")).ok());
  Permissions looped;
  absl::Status bad = looped.Allow(Access::kRead, Path("allowed/loop"));
  EXPECT_THAT(bad.message(), HasSubstr("--allow-read=" + Path("allowed/loop")));
}

TEST_F(PermissionsTest, CheckCanonicalForFoldersAboveTheGrant) {
  EXPECT_TRUE(permissions_.CheckCanonical(Access::kWrite, Path("allowed/a"), "x").ok());
  absl::Status parent = permissions_.CheckCanonical(Access::kWrite, root_, root_);
  EXPECT_EQ(parent.code(), absl::StatusCode::kPermissionDenied);
}

TEST(EscapeControlCharactersTest, EscapesWhatATerminalWouldObey) {
  struct Case {
    std::string text;
    std::string shown;
  };
  for (const Case& c : std::vector<Case>{
           {"plain/path.txt", "plain/path.txt"},
           {"caf\xc3\xa9/\xe2\x9c\x93", "caf\xc3\xa9/\xe2\x9c\x93"},  // UTF-8 text stays
           {"a\nb\tc\rd", "a\\nb\\tc\\rd"},
           {"\x1b[31mred", "\\x1b[31mred"},
           {std::string("nul\0x", 5), "nul\\x00x"},
           {"del\x7f", "del\\x7f"},
           {"c1 \xc2\x9b" "2J", "c1 \\u009b2J"},  // U+009B, the 8-bit CSI
           {"\xc2\xa0", "\xc2\xa0"},           // U+00A0 is not a control
       }) {
    EXPECT_EQ(EscapeControlCharacters(c.text), c.shown);
  }
}

TEST_F(PermissionsTest, DenialEscapesControlCharacters) {
  absl::StatusOr<std::string> denied =
      permissions_.Check(Access::kRead, Path("secret/\x1b[2J.txt"));
  ASSERT_EQ(denied.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(denied.status().message(), HasSubstr("secret/\\x1b[2J.txt"));
  EXPECT_EQ(denied.status().message().find('\x1b'), absl::string_view::npos);
}

}  // namespace
}  // namespace v8snap
