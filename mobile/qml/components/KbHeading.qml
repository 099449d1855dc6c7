// SPDX-License-Identifier: Apache-2.0
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Kerbside.Ui

Label {
    property bool big: false
    Layout.fillWidth: true
    wrapMode: Text.Wrap
    font.pixelSize: big ? KbTheme.fontTitle : KbTheme.fontLarge
    font.bold: true
    color: KbTheme.text
}
