// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for the collector's batch decoder and the USB batch-file envelope: any
// input must give a decoded batch or a ProtocolError, never a crash, hang or other exception.
//
// Built by CMake only with clang (CXX=clang++, -DKERBSIDE_BUILD_FUZZERS=ON). By hand beside a
// g++ build directory (instrumenting the decoder, linking the rest of kerbside_core as is):
//   clang++ -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -fPIC \
//     -I sync/proto -I build-sync/sync/proto -I shared $(pkg-config --cflags Qt6Core protobuf) \
//     tests/sync/fuzz_batch.cpp sync/proto/{batchcodec,batchfile,syncformat,wiretypes}.cpp \
//     build-sync/sync/proto/kerbside/v1/sync.pb.cc build-sync/shared/libkerbside_core.a \
//     $(pkg-config --libs Qt6Core protobuf sqlite3) -o fuzz_batch
//   ./fuzz_batch -max_total_time=60 -max_len=65536 corpus/
#include "batchcodec.h"
#include "batchfile.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    try {
        const kerbside::IncomingBatch batch = kerbside::BatchCodec::decode(bytes);
        // Whatever decoded must hash and re-read consistently.
        for (const kerbside::IncomingResponse &r : batch.responses) {
            if (kerbside::BatchCodec::responseHash(r.meta, r.answers) != r.contentHash)
                __builtin_trap();
        }
    } catch (const kerbside::ProtocolError &) {
    }
    try {
        kerbside::BatchCodec::decode(kerbside::BatchFile::unwrap(bytes));
    } catch (const kerbside::ProtocolError &) {
    }
    return 0;
}
