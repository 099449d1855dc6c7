// SPDX-License-Identifier: Apache-2.0
// A location: the live fix with its accuracy in metres; "Use this position" once the fix is
// within the form's accuracy. Stored "lat lon altitude accuracy".
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Kerbside.Ui

ColumnLayout {
    id: editor
    property string questionName
    property string value
    property bool readOnly: false
    property real accuracy: 0 // metres the fix must reach; 0 = any fix
    property PositionService position
    property bool optional: false // may be left empty: offer to go on without waiting for a fix
    signal answered(string value)
    signal skipped()
    spacing: 8

    readonly property bool hasFix: position !== null && position.hasFix
    readonly property real fixAccuracy: hasFix ? position.accuracy : NaN
    readonly property bool goodEnough: hasFix && (accuracy <= 0 || (!isNaN(fixAccuracy) && fixAccuracy <= accuracy))

    function metres(v) { return isNaN(v) ? "?" : v.toFixed(1) }

    KbLabel {
        objectName: "gps_state_" + editor.questionName
        text: editor.position === null || !editor.position.available ? KbTheme.tr.gps_none
            : !editor.hasFix ? KbTheme.tr.gps_waiting_fix
            : editor.position.latitude.toFixed(5) + ", " + editor.position.longitude.toFixed(5)
              + "  (± " + editor.metres(editor.fixAccuracy) + " m)"
        font.bold: true
    }
    KbLabel {
        visible: editor.accuracy > 0
        text: KbTheme.tr.gps_needed.replace("%1", editor.accuracy.toFixed(0))
        color: editor.goodEnough ? KbTheme.good : KbTheme.textMuted
    }
    KbButton {
        objectName: "usePosition_" + editor.questionName
        Layout.fillWidth: true
        primary: true
        enabled: !editor.readOnly && editor.goodEnough
        text: KbTheme.tr.gps_use
        onClicked: {
            const p = editor.position
            const alt = isNaN(p.altitude) ? 0 : p.altitude
            const acc = isNaN(p.accuracy) ? 0 : p.accuracy
            editor.answered(p.latitude.toFixed(7) + " " + p.longitude.toFixed(7) + " " + alt.toFixed(1) + " " + acc.toFixed(1))
        }
    }
    KbButton {
        objectName: "skipLocation_" + editor.questionName
        Layout.fillWidth: true
        visible: editor.optional && editor.value === "" && !editor.readOnly
        text: KbTheme.tr.gps_continue_without
        onClicked: editor.skipped()
    }
    KbLabel {
        objectName: "gps_value_" + editor.questionName
        visible: editor.value !== ""
        text: KbTheme.tr.gps_saved + " " + editor.value
        muted: true
    }
}
