// SPDX-License-Identifier: Apache-2.0
// A captioned spin box with big − / + targets; `moved(newValue)` only on the fieldworker's change.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Kerbside.Ui

ColumnLayout {
    id: spin
    property string caption
    property int from: 0
    property int to: 99
    property int value: 0
    property bool twoDigits: false
    signal moved(int newValue)

    Layout.fillWidth: true
    spacing: 2

    Label {
        text: spin.caption
        font.pixelSize: KbTheme.fontSmall
        color: KbTheme.textMuted
    }
    SpinBox {
        id: box
        objectName: spin.objectName + "_box"
        Layout.fillWidth: true
        Layout.minimumWidth: KbTheme.touchMin * 3
        implicitHeight: KbTheme.touchMin
        from: spin.from
        to: spin.to
        value: spin.value
        editable: true
        wrap: true
        enabled: spin.enabled
        font.pixelSize: KbTheme.fontLarge
        inputMethodHints: Qt.ImhDigitsOnly
        textFromValue: (v, locale) => spin.twoDigits && v < 10 ? "0" + v : "" + v
        valueFromText: (text, locale) => parseInt(text, 10)
        onValueModified: spin.moved(value)
    }
}
