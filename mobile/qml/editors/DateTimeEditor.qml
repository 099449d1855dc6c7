// SPDX-License-Identifier: Apache-2.0
// A date and a time on the device's clock, stored ISO 8601 with the UTC offset
// ("2026-11-24T14:05:00+00:00").
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

    readonly property var match: /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(value)
    readonly property date now: new Date()
    function pad(n) { return (n < 10 ? "0" : "") + n }
    function commit(y, mo, d, h, mi) {
        const local = new Date(y, mo - 1, Math.min(d, new Date(y, mo, 0).getDate()), h, mi, 0)
        const offset = -local.getTimezoneOffset() // minutes east of UTC
        const sign = offset >= 0 ? "+" : "-"
        const abs = Math.abs(offset)
        answered(local.getFullYear() + "-" + pad(local.getMonth() + 1) + "-" + pad(local.getDate())
                 + "T" + pad(h) + ":" + pad(mi) + ":00" + sign + pad(Math.floor(abs / 60)) + ":" + pad(abs % 60))
    }
    function emitNow() {
        const t = new Date()
        emit(t.getFullYear(), t.getMonth() + 1, t.getDate(), t.getHours(), t.getMinutes())
    }
    function part(i, fallback) { return match ? Number(match[i]) : fallback }

    KbLabel {
        visible: editor.value === ""
        text: KbTheme.tr.not_answered
        muted: true
    }
    GridLayout {
        Layout.fillWidth: true
        columns: editor.width > 900 ? 6 : 3
        columnSpacing: 8
        rowSpacing: 8
        KbSpin {
            id: day
            objectName: "day_" + editor.questionName
            caption: KbTheme.tr.day
            from: 1; to: 31
            value: editor.part(3, editor.now.getDate())
            enabled: !editor.readOnly
            onMoved: v => editor.commit(year.value, month.value, v, hour.value, minute.value)
        }
        KbSpin {
            id: month
            objectName: "month_" + editor.questionName
            caption: KbTheme.tr.month
            from: 1; to: 12
            value: editor.part(2, editor.now.getMonth() + 1)
            enabled: !editor.readOnly
            onMoved: v => editor.commit(year.value, v, day.value, hour.value, minute.value)
        }
        KbSpin {
            id: year
            objectName: "year_" + editor.questionName
            caption: KbTheme.tr.year
            from: 1900; to: 2100
            value: editor.part(1, editor.now.getFullYear())
            enabled: !editor.readOnly
            onMoved: v => editor.commit(v, month.value, day.value, hour.value, minute.value)
        }
        KbSpin {
            id: hour
            objectName: "hour_" + editor.questionName
            caption: KbTheme.tr.hour
            from: 0; to: 23
            twoDigits: true
            value: editor.part(4, editor.now.getHours())
            enabled: !editor.readOnly
            onMoved: v => editor.commit(year.value, month.value, day.value, v, minute.value)
        }
        KbSpin {
            id: minute
            objectName: "minute_" + editor.questionName
            caption: KbTheme.tr.minute
            from: 0; to: 59
            twoDigits: true
            value: editor.part(5, editor.now.getMinutes())
            enabled: !editor.readOnly
            onMoved: v => editor.commit(year.value, month.value, day.value, hour.value, v)
        }
        KbButton {
            objectName: "now_" + editor.questionName
            Layout.fillWidth: true
            Layout.alignment: Qt.AlignBottom
            enabled: !editor.readOnly
            text: KbTheme.tr.now
            onClicked: editor.emitNow()
        }
    }
}
