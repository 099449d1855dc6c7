// SPDX-License-Identifier: Apache-2.0
// A time from hour and minute spin boxes and a Now button. Stored "HH:mm:00".
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Kerbside.Ui

ColumnLayout {
    id: editor
    property string questionName
    property string value
    property bool readOnly: false
    signal answered(string value)
    spacing: 8

    readonly property var parts: /^\d{2}:\d{2}/.test(value) ? value.split(":").map(Number) : []
    readonly property date now: new Date()
    function pad(n) { return (n < 10 ? "0" : "") + n }
    function commit(h, m) { answered(pad(h) + ":" + pad(m) + ":00") }

    KbLabel {
        visible: editor.value === ""
        text: KbTheme.tr.not_answered
        muted: true
    }
    RowLayout {
        Layout.fillWidth: true
        spacing: 8
        KbSpin {
            id: hour
            objectName: "hour_" + editor.questionName
            caption: KbTheme.tr.hour
            from: 0; to: 23
            twoDigits: true
            value: editor.parts.length ? editor.parts[0] : editor.now.getHours()
            enabled: !editor.readOnly
            onMoved: newValue => editor.commit(newValue, minute.value)
        }
        KbSpin {
            id: minute
            objectName: "minute_" + editor.questionName
            caption: KbTheme.tr.minute
            from: 0; to: 59
            twoDigits: true
            value: editor.parts.length ? editor.parts[1] : editor.now.getMinutes()
            enabled: !editor.readOnly
            onMoved: newValue => editor.commit(hour.value, newValue)
        }
        KbButton {
            objectName: "now_" + editor.questionName
            Layout.alignment: Qt.AlignBottom
            enabled: !editor.readOnly
            text: KbTheme.tr.now
            onClicked: { const t = new Date(); editor.commit(t.getHours(), t.getMinutes()) }
        }
    }
}
