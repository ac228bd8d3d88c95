// The VTK network view in its QOpenGLWidget renders real pixels (under Xvfb): neurons at their positions in
// their activity colours, connections as lines, the selected neuron highlighted.
#include "views/network_scene.h"
#include "views/vtk_host_widget.h"

#include <QImage>
#include <QWindow>
#include <QTest>

using namespace plexus::ui;

namespace {

/// The pixel at a widget position in a framebuffer image (device pixels).
QColor pixelAt(const QImage& image, const QPointF& widgetPosition, double ratio)
{
    return image.pixelColor(static_cast<int>(widgetPosition.x() * ratio), static_cast<int>(widgetPosition.y() * ratio));
}

bool near(const QColor& a, const std::array<unsigned char, 3>& b, int tolerance = 12)
{
    return std::abs(a.red() - b[0]) <= tolerance && std::abs(a.green() - b[1]) <= tolerance &&
           std::abs(a.blue() - b[2]) <= tolerance;
}

} // namespace

class TestNetworkView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void rendersNeuronsEdgesAndSelection()
    {
        QVERIFY2(VtkHostWidget::openGLAvailable(), "no OpenGL: run under xvfb-run -a");
        VtkHostWidget view;
        view.resize(320, 320);
        NetworkScene scene(view.renderer());
        scene.setBackground({0.0, 0.0, 0.0});
        Eigen::MatrixX2f positions(3, 2);
        positions << -1.0f, -1.0f, 1.0f, -1.0f, 0.0f, 1.0f;
        scene.setNeurons(positions);
        Eigen::VectorXf activity(3);
        activity << -1.0f, 1.0f, 0.0f;
        scene.setActivity(activity, 1.0f);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QVERIFY(QTest::qWaitForWindowExposed(view.glWindow()));
        view.requestRender();
        QTest::qWait(200);
        const double ratio = view.glWindow()->devicePixelRatio();
        QImage image = view.grabFramebuffer();
        QVERIFY(!image.isNull());

        int lit = 0;
        for (int y = 0; y < image.height(); ++y)
            for (int x = 0; x < image.width(); ++x)
                lit += image.pixelColor(x, y) != QColor(0, 0, 0) ? 1 : 0;
        QVERIFY2(lit > 50, "the frame is blank");

        const auto blue = NetworkScene::activityColour(-1.0f, 1.0f), red = NetworkScene::activityColour(1.0f, 1.0f),
                   grey = NetworkScene::activityColour(0.0f, 1.0f);
        QVERIFY2(near(pixelAt(image, view.worldToWidget(-1, -1), ratio), blue), "neuron 0 should be blue");
        QVERIFY2(near(pixelAt(image, view.worldToWidget(1, -1), ratio), red), "neuron 1 should be red");
        QVERIFY2(near(pixelAt(image, view.worldToWidget(0, 1), ratio), grey), "neuron 2 should be grey");
        QVERIFY2(pixelAt(image, view.worldToWidget(0, -1), ratio) == QColor(0, 0, 0), "no line yet between 0 and 1");
        QVERIFY(view.widgetToWorld(view.worldToWidget(1, -1)).x() > 0.9);

        // An excitatory connection 0 → 1 is a reddish line through (0, −1).
        scene.setEdges({{0, 1, 0.8f}}, 1.0f);
        view.requestRender();
        QTest::qWait(200);
        image = view.grabFramebuffer();
        const QColor line = pixelAt(image, view.worldToWidget(0, -1), ratio);
        QVERIFY2(line.red() > 150 && line.red() > line.blue() + 50, qPrintable(line.name()));

        // Selecting neuron 2 with an input from 0 draws it dark and the input green.
        scene.setSelection(2, {{0, 2, 0.5f}}, {});
        view.requestRender();
        QTest::qWait(200);
        image = view.grabFramebuffer();
        const QColor selected = pixelAt(image, view.worldToWidget(0, 1), ratio);
        QVERIFY2(selected.red() < 60 && selected.green() < 60, qPrintable(selected.name()));
        const QColor input = pixelAt(image, view.worldToWidget(-0.5, 0.0), ratio);
        QVERIFY2(input.green() > 120 && input.green() > input.red() + 40, qPrintable(input.name()));
        QCOMPARE(scene.nearestNeuron(0.95, -1.02, 0.2), 1);
        QCOMPARE(scene.nearestNeuron(5, 5, 0.2), -1);
    }
};

QTEST_MAIN(TestNetworkView)
#include "test_network_view.moc"
