// SPDX-License-Identifier: Apache-2.0
#include "storetypes.h"

#include <array>
#include <utility>

namespace kerbside {

namespace {

// Names as stored in the database and sent to the collector: never rename one.
const std::array<std::pair<ResponseStatus, const char *>, 6> kStatusNames{{
    {ResponseStatus::Draft, "draft"},
    {ResponseStatus::Complete, "complete"},
    {ResponseStatus::Refused, "refused"},
    {ResponseStatus::Discarded, "discarded"},
    {ResponseStatus::Partial, "partial"},
    {ResponseStatus::ScreenedOut, "screened_out"},
}};

const std::array<std::pair<Disposition, const char *>, 6> kDispositionNames{{
    {Disposition::Refused, "refused"},
    {Disposition::NotResident, "not_resident"},
    {Disposition::Ineligible, "ineligible"},
    {Disposition::LanguageBarrier, "language_barrier"},
    {Disposition::ComeBackLater, "come_back_later"},
    {Disposition::Other, "other"},
}};

const std::array<std::pair<InsideArea, const char *>, 3> kInsideAreaNames{{
    {InsideArea::Unknown, "unknown"},
    {InsideArea::Yes, "yes"},
    {InsideArea::No, "no"},
}};

// Lookups in the name tables above (a handful of rows each).
template <typename E, size_t N>
QString nameIn(const std::array<std::pair<E, const char *>, N> &table, E value)
{
    for (const auto &[v, name] : table) {
        if (v == value)
            return QString::fromLatin1(name);
    }
    return {};
}

template <typename E, size_t N>
bool valueIn(const std::array<std::pair<E, const char *>, N> &table, const QString &name, E *out)
{
    for (const auto &[v, text] : table) {
        if (name == QLatin1String(text)) {
            if (out)
                *out = v;
            return true;
        }
    }
    return false;
}

} // namespace

QString insideAreaName(InsideArea a)
{
    return nameIn(kInsideAreaNames, a);
}

bool insideAreaFromName(const QString &name, InsideArea *a)
{
    return valueIn(kInsideAreaNames, name, a);
}

QString responseStatusName(ResponseStatus s)
{
    return nameIn(kStatusNames, s);
}

bool responseStatusFromName(const QString &name, ResponseStatus *s)
{
    return valueIn(kStatusNames, name, s);
}

QString paradataKindName(ParadataEvent::Kind k)
{
    switch (k) {
    case ParadataEvent::Kind::Shown: return QStringLiteral("shown");
    case ParadataEvent::Kind::Changed: return QStringLiteral("changed");
    case ParadataEvent::Kind::LanguageSwitched: return QStringLiteral("language_switched");
    case ParadataEvent::Kind::Resumed: return QStringLiteral("resumed");
    case ParadataEvent::Kind::Finalised: return QStringLiteral("finalised");
    }
    return {};
}

bool paradataKindFromName(const QString &name, ParadataEvent::Kind *k)
{
    using K = ParadataEvent::Kind;
    for (K candidate : {K::Shown, K::Changed, K::LanguageSwitched, K::Resumed, K::Finalised}) {
        if (paradataKindName(candidate) == name) {
            if (k)
                *k = candidate;
            return true;
        }
    }
    return false;
}

QString dispositionName(Disposition d)
{
    return nameIn(kDispositionNames, d);
}

bool dispositionFromName(const QString &name, Disposition *d)
{
    return valueIn(kDispositionNames, name, d);
}

} // namespace kerbside
