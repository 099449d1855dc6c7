// SPDX-License-Identifier: Apache-2.0
// i12: at the start of an interview whose fix lies outside the case study's area, says so
// plainly; "Go on here" dismisses it for this interview. The controller judges and words it.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Kerbside.Ui

Rectangle {
    id: banner
    required property var controller
    visible: controller.areaWarning !== ""
    implicitHeight: visible ? row.implicitHeight + 2 * KbTheme.spacing : 0
    color: KbTheme.surface
    border.width: KbTheme.borderWidth * 2
    border.color: KbTheme.error
    radius: 8

    RowLayout {
        id: row
        anchors.fill: parent
        anchors.margins: KbTheme.spacing
        spacing: KbTheme.spacing
        KbLabel {
            objectName: "areaWarningText"
            Layout.fillWidth: true
            text: "⚠ " + banner.controller.areaWarning
            color: KbTheme.error
            font.bold: true
        }
        KbButton {
            objectName: "areaWarningGoOn"
            text: KbTheme.tr.area_go_on
            onClicked: banner.controller.dismissAreaWarning()
        }
    }
}
