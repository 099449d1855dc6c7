// SPDX-License-Identifier: Apache-2.0
// Hand-made ZIP packages for the .xlsx tests, written with libzip.
#pragma once

#include <QByteArray>
#include <QFile>
#include <QList>
#include <QString>

#include <catch2/catch.hpp>

#include <zip.h>

#include <algorithm>
#include <cstring>
#include <utility>

namespace kerbside::test {

// A libzip source of `size` zero bytes made on the fly, so the test itself never holds them.
struct Zeros
{
    zip_uint64_t size = 0;
    zip_uint64_t offset = 0;
};

inline zip_int64_t zerosCallback(void *userdata, void *data, zip_uint64_t len, zip_source_cmd_t cmd)
{
    auto *z = static_cast<Zeros *>(userdata);
    switch (cmd) {
    case ZIP_SOURCE_OPEN:
        z->offset = 0;
        return 0;
    case ZIP_SOURCE_READ: {
        const zip_uint64_t n = std::min(len, z->size - z->offset);
        std::memset(data, 0, n);
        z->offset += n;
        return zip_int64_t(n);
    }
    case ZIP_SOURCE_CLOSE:
        return 0;
    case ZIP_SOURCE_STAT: {
        auto *st = static_cast<zip_stat_t *>(data);
        zip_stat_init(st);
        st->size = z->size;
        st->valid |= ZIP_STAT_SIZE;
        return sizeof(zip_stat_t);
    }
    case ZIP_SOURCE_ERROR:
        return 2 * sizeof(int);
    case ZIP_SOURCE_FREE:
        delete z;
        return 0;
    case ZIP_SOURCE_SUPPORTS:
        return zip_source_make_command_bitmap(ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE,
                                              ZIP_SOURCE_STAT, ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE, -1);
    default:
        return -1;
    }
}

// A ZIP package written member by member (for parts libxlsxwriter does not produce), plus
// optionally one member of `zeroBytes` zeros made on the fly (a ZIP bomb).
inline void writeZip(const QString &path, const QList<std::pair<const char *, QByteArray>> &members,
                   const char *zeroMember = nullptr, zip_uint64_t zeroBytes = 0)
{
    int error = 0;
    zip_t *zip = zip_open(QFile::encodeName(path).constData(), ZIP_CREATE | ZIP_TRUNCATE, &error);
    REQUIRE(zip);
    for (const auto &[name, data] : members) {
        zip_source_t *src = zip_source_buffer(zip, data.constData(), zip_uint64_t(data.size()), 0);
        REQUIRE(src);
        REQUIRE(zip_file_add(zip, name, src, ZIP_FL_OVERWRITE) >= 0);
    }
    if (zeroMember) {
        zip_source_t *src = zip_source_function(zip, zerosCallback, new Zeros {zeroBytes, 0});
        REQUIRE(src);
        REQUIRE(zip_file_add(zip, zeroMember, src, ZIP_FL_OVERWRITE) >= 0);
    }
    REQUIRE(zip_close(zip) == 0);
}

} // namespace kerbside::test
