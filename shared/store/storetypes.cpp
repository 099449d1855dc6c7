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

} // namespace

QString insideAreaName(InsideArea a)
{
    for (const auto &[value, name] : kInsideAreaNames) {
        if (value == a)
            return QString::fromLatin1(name);
    }
    return {};
}

bool insideAreaFromName(const QString &name, InsideArea *a)
{
    for (const auto &[value, text] : kInsideAreaNames) {
        if (name == QLatin1String(text)) {
            if (a)
                *a = value;
            return true;
        }
    }
    return false;
}

QString responseStatusName(ResponseStatus s)
{
    for (const auto &[value, name] : kStatusNames) {
        if (value == s)
            return QString::fromLatin1(name);
    }
    return {};
}

bool responseStatusFromName(const QString &name, ResponseStatus *s)
{
    for (const auto &[value, text] : kStatusNames) {
        if (name == QLatin1String(text)) {
            if (s)
                *s = value;
            return true;
        }
    }
    return false;
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
    for (const auto &[value, name] : kDispositionNames) {
        if (value == d)
            return QString::fromLatin1(name);
    }
    return {};
}

bool dispositionFromName(const QString &name, Disposition *d)
{
    for (const auto &[value, text] : kDispositionNames) {
        if (name == QLatin1String(text)) {
            if (d)
                *d = value;
            return true;
        }
    }
    return false;
}

} // namespace kerbside
