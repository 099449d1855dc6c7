// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

#include <cstring>

namespace kerbside {

/** Reuses the QString made for a slot when the next row brings the same UTF-8 bytes there.
 *
 *  Exports stream millions of rows in which most text repeats row after row in the same place:
 *  question names, form id and version, case study, device. A QString copy shares its data, so
 *  a repeat costs a memcmp instead of a conversion and an allocation. */
class StringReuse
{
public:
    QString get(int slot, const char *utf8, qsizetype size)
    {
        if (slot >= m_slots.size())
            m_slots.resize(slot + 1);
        Slot &s = m_slots[slot];
        if (s.bytes.size() == size && (size == 0 || std::memcmp(s.bytes.constData(), utf8, size_t(size)) == 0))
            return s.text;
        s.bytes.resize(size); // within its capacity after the first rows: no allocation
        if (size)
            std::memcpy(s.bytes.data(), utf8, size_t(size));
        s.text = QString::fromUtf8(utf8, size);
        return s.text;
    }

private:
    struct Slot
    {
        QByteArray bytes;
        QString text;
    };
    QList<Slot> m_slots;
};

} // namespace kerbside
