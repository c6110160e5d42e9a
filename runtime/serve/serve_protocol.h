/* What snapshot_run_client and a `snapshot_run --serve` server say to each other over the Unix
 * socket. Plain C so that the client needs no C++ runtime; the server includes it too, so the
 * two can never disagree about a byte.
 *
 * 1. The client connects. The server checks the client's uid (SO_PEERCRED) and answers at
 *    once with a HELO reply (value = kServeProtocolVersion, pid = the server's pid), even when
 *    every runtime is busy: a client that gets no HELO within a few seconds is talking to
 *    something that is not a v8snap server, and says so instead of hanging.
 * 2. The client sends one command: a ServeCommandHeader carrying its stdin, stdout and stderr
 *    as SCM_RIGHTS, then `payload_bytes` bytes: the working directory, then `argc` arguments,
 *    then `envc` "NAME=value" strings, each NUL-terminated.
 * 3. The runtime process that takes the command answers STRT (pid = its pid, so the client can
 *    forward signals to it), runs it, and answers EXIT (value = exit code). When that process
 *    dies without answering, the server answers SIGD (value = the signal) or EXIT (value = the
 *    code it exited with). A connection that closes before STRT ran nothing: the client may
 *    send the command again.
 *    Or, instead of STRT, DRCT: the command must start directly (its locale environment is
 *    not the one the runtime was made with, and ICU's default locale is fixed per process).
 *    `value` bytes follow: the executable's path, then the whole argv (argv[0] first), each
 *    NUL-terminated. Nothing ran; the client execs that command itself.
 */
#ifndef V8SNAP_RUNTIME_SERVE_SERVE_PROTOCOL_H_
#define V8SNAP_RUNTIME_SERVE_SERVE_PROTOCOL_H_

#include <stdint.h>

#define V8SNAP_SERVE_PROTOCOL_VERSION 2
/* Larger commands are refused: ARG_MAX-sized argument lists are the most a shell passes. */
#define V8SNAP_SERVE_MAX_PAYLOAD (8u << 20)
#define V8SNAP_SERVE_TAG_HELLO "HELO"
#define V8SNAP_SERVE_TAG_STARTED "STRT"
#define V8SNAP_SERVE_TAG_EXIT "EXIT"
#define V8SNAP_SERVE_TAG_SIGNALED "SIGD"
#define V8SNAP_SERVE_TAG_DIRECT "DRCT"
#define V8SNAP_SERVE_COMMAND_MAGIC "CMD1"

/* Every reply has this fixed size. */
struct ServeReply {
  char tag[4];
  int32_t value;
  int32_t pid;
  int32_t reserved;
};

struct ServeCommandHeader {
  char magic[4];
  uint32_t payload_bytes;
  uint32_t umask;
  uint32_t argc;
  uint32_t envc;
};

#endif /* V8SNAP_RUNTIME_SERVE_SERVE_PROTOCOL_H_ */
