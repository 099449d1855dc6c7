// SPDX-License-Identifier: Apache-2.0
#include "geojsonreader.h"

#include "form/jsonlinemap.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

namespace kerbside::geo {

QString GeoJsonProblem::text(const QString &fileName) const
{
    QString where = fileName;
    if (line > 0)
        where += QStringLiteral(" line %1").arg(line);
    if (!path.isEmpty())
        where += QStringLiteral(" (%1)").arg(path);
    return QStringLiteral("%1: %2").arg(where, reason);
}

namespace {

struct Refusal
{
    QString reason;
    QString path;
};

class Reader
{
public:
    std::vector<Polygon> polygons;

    void geometry(const QJsonValue &v, const QString &path)
    {
        if (!v.isObject())
            throw Refusal{QStringLiteral("a geometry must be an object"), path};
        const QJsonObject o = v.toObject();
        const QString type = o.value(QLatin1String("type")).toString();
        const QString coords = JsonLineMap::childPath(path, QStringLiteral("coordinates"));
        if (type == QLatin1String("Polygon")) {
            polygons.push_back(polygon(o.value(QLatin1String("coordinates")), coords));
        } else if (type == QLatin1String("MultiPolygon")) {
            const QJsonArray parts = array(o.value(QLatin1String("coordinates")), coords,
                                           QStringLiteral("MultiPolygon coordinates"));
            if (parts.isEmpty())
                throw Refusal{QStringLiteral("a MultiPolygon needs at least one polygon"), coords};
            for (qsizetype i = 0; i < parts.size(); ++i)
                polygons.push_back(polygon(parts.at(i), JsonLineMap::indexPath(coords, i)));
        } else {
            throw Refusal{type.isEmpty()
                              ? QStringLiteral("no geometry \"type\"")
                              : QStringLiteral("geometry type %1 is not an area: use a Polygon or MultiPolygon").arg(type),
                          type.isEmpty() ? path : JsonLineMap::childPath(path, QStringLiteral("type"))};
        }
    }

    void crs(const QJsonObject &o, const QString &path)
    {
        if (!o.contains(QLatin1String("crs")))
            return;
        const QString name = o.value(QLatin1String("crs")).toObject().value(QLatin1String("properties"))
                                 .toObject().value(QLatin1String("name")).toString();
        static const QStringList wgs84{QStringLiteral("urn:ogc:def:crs:OGC:1.3:CRS84"),
                                       QStringLiteral("urn:ogc:def:crs:EPSG::4326"),
                                       QStringLiteral("EPSG:4326")};
        if (!wgs84.contains(name))
            throw Refusal{QStringLiteral("coordinate system \"%1\" is not WGS84 longitude/latitude: "
                                         "reproject to EPSG:4326 (e.g. ogr2ogr -t_srs EPSG:4326)").arg(name),
                          JsonLineMap::childPath(path, QStringLiteral("crs"))};
    }

private:
    qsizetype m_positions = 0;

    static QJsonArray array(const QJsonValue &v, const QString &path, const QString &what)
    {
        if (!v.isArray())
            throw Refusal{QStringLiteral("%1 must be an array").arg(what), path};
        return v.toArray();
    }

    Polygon polygon(const QJsonValue &v, const QString &path)
    {
        const QJsonArray rings = array(v, path, QStringLiteral("polygon coordinates"));
        if (rings.isEmpty())
            throw Refusal{QStringLiteral("a polygon needs an outer ring"), path};
        Polygon p;
        for (qsizetype i = 0; i < rings.size(); ++i) {
            Ring r = ring(rings.at(i), JsonLineMap::indexPath(path, i));
            if (i == 0)
                p.outer = std::move(r);
            else
                p.holes.push_back(std::move(r));
        }
        return p;
    }

    Ring ring(const QJsonValue &v, const QString &path)
    {
        const QJsonArray positions = array(v, path, QStringLiteral("a ring"));
        if (positions.size() < 4)
            throw Refusal{QStringLiteral("a ring needs at least 4 positions (the last repeating the first), it has %1")
                              .arg(positions.size()), path};
        m_positions += positions.size();
        if (m_positions > GeoJsonReader::kMaxPositions)
            throw Refusal{QStringLiteral("more than %1 positions: simplify the boundary").arg(GeoJsonReader::kMaxPositions), path};
        Ring r;
        r.reserve(size_t(positions.size()));
        double west = 180, east = -180;
        for (qsizetype i = 0; i < positions.size(); ++i) {
            const LonLat p = position(positions.at(i), JsonLineMap::indexPath(path, i));
            west = std::min(west, p.lon);
            east = std::max(east, p.lon);
            r.push_back(p);
        }
        if (r.front().lon != r.back().lon || r.front().lat != r.back().lat)
            throw Refusal{QStringLiteral("the ring is not closed: its last position must repeat the first"),
                          JsonLineMap::indexPath(path, positions.size() - 1)};
        if (east - west > 180)
            throw Refusal{QStringLiteral("the ring spans more than 180 degrees of longitude (crossing the antimeridian is not supported)"), path};
        return r;
    }

    static LonLat position(const QJsonValue &v, const QString &path)
    {
        const QJsonArray a = v.toArray();
        if (!v.isArray() || a.size() < 2 || a.size() > 3)
            throw Refusal{QStringLiteral("a position must be [longitude, latitude] or [longitude, latitude, altitude]"), path};
        for (const QJsonValue &n : a) {
            if (!n.isDouble() || !std::isfinite(n.toDouble()))
                throw Refusal{QStringLiteral("a coordinate must be a number"), path};
        }
        const LonLat p{a.at(0).toDouble(), a.at(1).toDouble()};
        if (p.lon < -180 || p.lon > 180)
            throw Refusal{QStringLiteral("longitude %1 is outside -180..180").arg(p.lon), path};
        if (p.lat < -90 || p.lat > 90)
            throw Refusal{QStringLiteral("latitude %1 is outside -90..90 (longitude comes first in GeoJSON)").arg(p.lat), path};
        return p;
    }
};

int lineAtOffset(const QByteArray &json, qsizetype offset)
{
    return int(json.left(offset).count('\n')) + 1;
}

} // namespace

std::optional<Area> GeoJsonReader::read(const QByteArray &json, GeoJsonProblem *problem)
{
    auto refuse = [&](const QString &reason, const QString &path, int line) -> std::optional<Area> {
        if (problem)
            *problem = {reason, path, line};
        return std::nullopt;
    };
    if (json.size() > kMaxBytes)
        return refuse(QStringLiteral("larger than %1 MB").arg(kMaxBytes / (1024 * 1024)), QStringLiteral("$"), 0);
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return refuse(QStringLiteral("not JSON: %1").arg(parseError.errorString()), QString(),
                      lineAtOffset(json, parseError.offset));
    if (!doc.isObject())
        return refuse(QStringLiteral("a GeoJSON text must be an object"), QStringLiteral("$"), 1);
    const JsonLineMap lines = JsonLineMap::scan(json);
    if (!lines.duplicateKeys().isEmpty()) {
        const JsonLineMap::DuplicateKey &d = lines.duplicateKeys().first();
        return refuse(QStringLiteral("key \"%1\" appears twice (first on line %2)").arg(d.key).arg(d.firstLine),
                      d.path, d.line);
    }
    Reader reader;
    const QString root = QStringLiteral("$");
    try {
        const QJsonObject o = doc.object();
        reader.crs(o, root);
        const QString type = o.value(QLatin1String("type")).toString();
        if (type == QLatin1String("FeatureCollection")) {
            const QJsonValue features = o.value(QLatin1String("features"));
            const QString fpath = JsonLineMap::childPath(root, QStringLiteral("features"));
            if (!features.isArray() || features.toArray().isEmpty())
                throw Refusal{QStringLiteral("a FeatureCollection needs a non-empty \"features\" array"), fpath};
            const QJsonArray all = features.toArray();
            for (qsizetype i = 0; i < all.size(); ++i) {
                const QString path = JsonLineMap::indexPath(fpath, i);
                if (all.at(i).toObject().value(QLatin1String("type")).toString() != QLatin1String("Feature"))
                    throw Refusal{QStringLiteral("each member of \"features\" must be a Feature"), path};
                reader.geometry(all.at(i).toObject().value(QLatin1String("geometry")),
                                JsonLineMap::childPath(path, QStringLiteral("geometry")));
            }
        } else if (type == QLatin1String("Feature")) {
            reader.geometry(o.value(QLatin1String("geometry")), JsonLineMap::childPath(root, QStringLiteral("geometry")));
        } else {
            reader.geometry(o, root);
        }
    } catch (const Refusal &r) {
        // The nearest enclosing value the line map knows (a position's numbers have no entry).
        QString path = r.path;
        int line = lines.line(path);
        while (line == 0 && path.size() > 1) {
            const qsizetype cut = std::max(path.lastIndexOf(QLatin1Char('[')), path.lastIndexOf(QLatin1Char('.')));
            if (cut <= 0)
                break;
            path.truncate(cut);
            line = lines.line(path);
        }
        return refuse(r.reason, r.path, line);
    }
    return Area(std::move(reader.polygons));
}

} // namespace kerbside::geo
