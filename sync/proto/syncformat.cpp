// SPDX-License-Identifier: Apache-2.0
#include "syncformat.h"

namespace kerbside {

QString ProtocolError::codeName(Code code)
{
    switch (code) {
    case Code::Malformed: return QStringLiteral("malformed");
    case Code::UnsupportedVersion: return QStringLiteral("unsupported-version");
    case Code::Invalid: return QStringLiteral("invalid");
    case Code::Checksum: return QStringLiteral("checksum");
    case Code::NotABatchFile: return QStringLiteral("not-a-batch-file");
    case Code::TooLarge: return QStringLiteral("too-large");
    }
    return QStringLiteral("unknown");
}

} // namespace kerbside
