// SPDX-License-Identifier: Apache-2.0
// geotrace (a line) and geoshape (a polygon): walk and tap "Add this point" at each point,
// with the live fix as for a geopoint; "Remove last point" takes one back. Stored as ODK does,
// "lat lon alt acc" points separated by ';'; a shape is stored closed (its first point again at
// the end) once it has 3 corners. The interview checks the count and the closing.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Kerbside.Ui

ColumnLayout {
    id: editor
    property string questionName
    property string value
    property bool readOnly: false
    property bool shape: false
    property PositionService position
    signal answered(string value)
    spacing: 8

    readonly property bool hasFix: position !== null && position.hasFix
    // The points recorded, without a shape's closing point.
    readonly property var points: {
        if (value === "")
            return []
        const all = value.split(";").map(p => p.trim())
        if (shape && all.length >= 4 && all[all.length - 1] === all[0])
            all.pop()
        return all
    }

    function store(list) {
        const out = shape && list.length >= 3 ? list.concat([list[0]]) : list
        answered(out.join(";"))
    }

    KbLabel {
        objectName: "gps_state_" + editor.questionName
        text: editor.position === null || !editor.position.available ? KbTheme.tr.gps_none
            : !editor.hasFix ? KbTheme.tr.gps_waiting_fix
            : editor.position.latitude.toFixed(5) + ", " + editor.position.longitude.toFixed(5)
              + "  (± " + (isNaN(editor.position.accuracy) ? "?" : editor.position.accuracy.toFixed(1)) + " m)"
        font.bold: true
    }
    KbButton {
        objectName: "addPoint_" + editor.questionName
        Layout.fillWidth: true
        primary: true
        enabled: !editor.readOnly && editor.hasFix
        text: KbTheme.tr.geo_add_point
        onClicked: {
            const p = editor.position
            const alt = isNaN(p.altitude) ? 0 : p.altitude
            const acc = isNaN(p.accuracy) ? 0 : p.accuracy
            editor.store(editor.points.concat([p.latitude.toFixed(7) + " " + p.longitude.toFixed(7) + " "
                                               + alt.toFixed(1) + " " + acc.toFixed(1)]))
        }
    }
    KbLabel {
        objectName: "points_" + editor.questionName
        text: KbTheme.tr.geo_points.replace("%1", editor.points.length)
        font.bold: true
    }
    // Taking a point back cannot be undone: set apart from "Add this point" (a gap, the
    // warning colour) so a hurried tap on Add never lands on it.
    Item { implicitHeight: KbTheme.spacing * 2 }
    KbButton {
        objectName: "removePoint_" + editor.questionName
        Layout.fillWidth: true
        danger: true
        enabled: !editor.readOnly && editor.points.length > 0
        text: KbTheme.tr.geo_remove_point
        onClicked: editor.store(editor.points.slice(0, editor.points.length - 1))
    }
}
