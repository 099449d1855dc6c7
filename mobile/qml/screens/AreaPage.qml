// SPDX-License-Identifier: Apache-2.0
// The area view (i12): the case study's boundary, where the fieldworker is and this tablet's
// interviews, drawn with Qt Quick Shapes from pixels the controller projects (no map tiles:
// none can be downloaded in the field). A scale bar says how far things are.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import QtQuick.Shapes
import Kerbside.Ui

Page {
    id: page
    required property StoreService store
    required property Preferences prefs
    required property PositionService position
    background: Rectangle { color: KbTheme.background }

    // Drawn again when the screen is shown: interviews finished since, a newer area.
    onVisibleChanged: if (visible) { ctl.refresh(); page.position.start() }

    AreaViewController {
        id: ctl
        objectName: "areaViewController"
        store: page.store
        prefs: page.prefs
        position: page.position
        viewWidth: map.width
        viewHeight: map.height
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: KbTheme.margin
        spacing: KbTheme.spacing

        KbHeading {
            text: KbTheme.tr.area_title + ": " + page.prefs.caseStudyName
        }
        KbLabel {
            objectName: "areaStatus"
            text: ctl.status
            font.bold: true
        }

        Rectangle {
            id: frame
            Layout.fillWidth: true
            Layout.fillHeight: true
            color: KbTheme.surface
            border.width: KbTheme.borderWidth
            border.color: KbTheme.border
            radius: 8
            clip: true

            Item {
                id: map
                objectName: "areaMap"
                anchors.fill: parent
                anchors.margins: KbTheme.borderWidth

                Shape {
                    id: boundary
                    objectName: "areaBoundary"
                    anchors.fill: parent
                    visible: ctl.hasArea
                    // Curve renderer is 6.6+; the default (geometry) renderer antialiases with MSAA.
                    layer.enabled: true
                    layer.samples: 4
                    ShapePath {
                        strokeColor: KbTheme.accent
                        strokeWidth: 4
                        fillColor: Qt.rgba(KbTheme.accent.r, KbTheme.accent.g, KbTheme.accent.b, 0.12)
                        fillRule: ShapePath.OddEvenFill // holes stay holes
                        joinStyle: ShapePath.RoundJoin
                        PathMultiline { paths: ctl.rings }
                    }
                }

                Repeater {
                    objectName: "areaDots"
                    model: ctl.dots
                    delegate: Rectangle {
                        required property point modelData
                        x: modelData.x - width / 2
                        y: modelData.y - height / 2
                        width: 14
                        height: 14
                        radius: 7
                        color: KbTheme.text
                        border.width: 2
                        border.color: KbTheme.surface
                    }
                }

                // The fieldworker: a ring round a dot, big enough to find at a glance.
                Item {
                    objectName: "areaPosition"
                    visible: ctl.hasPosition
                    x: ctl.here.x - width / 2
                    y: ctl.here.y - height / 2
                    width: 36
                    height: 36
                    Rectangle {
                        anchors.fill: parent
                        radius: width / 2
                        color: "transparent"
                        border.width: 5
                        border.color: KbTheme.error
                    }
                    Rectangle {
                        anchors.centerIn: parent
                        width: 12
                        height: 12
                        radius: 6
                        color: KbTheme.error
                    }
                }

                // Scale bar, bottom left: a bar with end ticks and its length.
                Column {
                    objectName: "areaScaleBar"
                    visible: ctl.scalePixels > 0
                    anchors.left: parent.left
                    anchors.bottom: parent.bottom
                    anchors.margins: KbTheme.spacing
                    spacing: 2
                    Label {
                        objectName: "areaScaleLabel"
                        text: ctl.scaleLabel
                        font.pixelSize: KbTheme.fontSmall
                        font.bold: true
                        color: KbTheme.text
                    }
                    Shape {
                        width: ctl.scalePixels
                        height: 12
                        ShapePath {
                            strokeColor: KbTheme.text
                            strokeWidth: 3
                            fillColor: "transparent"
                            PathMultiline {
                                paths: [[Qt.point(0, 0), Qt.point(0, 12)],
                                        [Qt.point(0, 10), Qt.point(ctl.scalePixels, 10)],
                                        [Qt.point(ctl.scalePixels, 0), Qt.point(ctl.scalePixels, 12)]]
                            }
                        }
                    }
                }
            }
        }

        // Legend: what each mark is, in words as well as colour.
        Flow {
            Layout.fillWidth: true
            spacing: KbTheme.spacing * 2
            Row {
                spacing: 8
                Rectangle { width: 22; height: 22; radius: 11; color: "transparent"; border.width: 4; border.color: KbTheme.error; anchors.verticalCenter: parent.verticalCenter }
                Label { text: KbTheme.tr.area_legend_you; font.pixelSize: KbTheme.fontSmall; color: KbTheme.text }
            }
            Row {
                spacing: 8
                Rectangle { width: 14; height: 14; radius: 7; color: KbTheme.text; anchors.verticalCenter: parent.verticalCenter }
                Label {
                    objectName: "areaInterviewCount"
                    text: String(KbTheme.tr.area_legend_interviews || "%1").arg(ctl.interviews)
                    font.pixelSize: KbTheme.fontSmall
                    color: KbTheme.text
                }
            }
            Row {
                spacing: 8
                Rectangle { width: 28; height: 4; color: KbTheme.accent; anchors.verticalCenter: parent.verticalCenter }
                Label { text: KbTheme.tr.area_legend_boundary; font.pixelSize: KbTheme.fontSmall; color: KbTheme.text }
            }
        }
    }
}
