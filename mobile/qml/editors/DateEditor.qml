// SPDX-License-Identifier: Apache-2.0
// A date from three big spin boxes (day, month, year) and a Today button. Stored "yyyy-MM-dd".
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

    readonly property var parts: /^\d{4}-\d{2}-\d{2}$/.test(value) ? value.split("-").map(Number) : []
    readonly property date today: new Date()

    function pad(n) { return (n < 10 ? "0" : "") + n }
    function commit(y, m, d) {
        const days = new Date(y, m, 0).getDate() // days in month m (1-based)
        answered(y + "-" + pad(m) + "-" + pad(Math.min(d, days)))
    }

    KbLabel {
        visible: editor.value === ""
        text: KbTheme.tr.not_answered
        muted: true
    }
    GridLayout {
        id: grid
        Layout.fillWidth: true
        // As many spin boxes per row as fit whole; Today gets a row of its own.
        columns: Math.max(1, Math.min(3, Math.floor((editor.width + 8) / (KbTheme.touchMin * 3 + 8))))
        columnSpacing: 8
        rowSpacing: 8
        KbSpin {
            id: day
            objectName: "day_" + editor.questionName
            caption: KbTheme.tr.day
            from: 1; to: 31
            value: editor.parts.length ? editor.parts[2] : editor.today.getDate()
            enabled: !editor.readOnly
            onMoved: newValue => editor.commit(year.value, month.value, newValue)
        }
        KbSpin {
            id: month
            objectName: "month_" + editor.questionName
            caption: KbTheme.tr.month
            from: 1; to: 12
            value: editor.parts.length ? editor.parts[1] : editor.today.getMonth() + 1
            enabled: !editor.readOnly
            onMoved: newValue => editor.commit(year.value, newValue, day.value)
        }
        KbSpin {
            id: year
            objectName: "year_" + editor.questionName
            caption: KbTheme.tr.year
            from: 1900; to: 2100
            value: editor.parts.length ? editor.parts[0] : editor.today.getFullYear()
            enabled: !editor.readOnly
            onMoved: newValue => editor.commit(newValue, month.value, day.value)
        }
        KbButton {
            objectName: "today_" + editor.questionName
            Layout.fillWidth: true
            Layout.columnSpan: grid.columns
            enabled: !editor.readOnly
            text: KbTheme.tr.today
            onClicked: { const t = new Date(); editor.commit(t.getFullYear(), t.getMonth() + 1, t.getDate()) }
        }
    }
}
