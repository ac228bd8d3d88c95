// Movies (docs/user-guide.md, "Movies"): MovieWriter writes a playable MP4 or numbered PNG frames, refuses what it
// cannot write with the path in the message, and never leaves a partial file in place; the Studio records a panel
// over the activity playback and during training.
#include "panels/panel.h"
#include "plots/movie_writer.h"
#include "studio/movie_dialog.h"
#include "studio/movie_recorder.h"
#include "studio/playback.h"
#include "studio/run_controller.h"
#include "studio/studio_window.h"

#include "plexus/config/config_loader.h"
#include "plexus/data/dataset_file.h"
#include "plexus/runtime/run_folder.h"
#include "plexus/sim/simulator.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

#include <filesystem>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
}

using namespace plexus;
using namespace plexus::ui;

namespace {

/// What an MP4 decodes to: its frames, size and the mean luma of each frame.
struct Decoded
{
    int frames = 0, width = 0, height = 0;
    std::vector<double> luma;
};

Decoded decode(const QString& path)
{
    Decoded out;
    AVFormatContext* format = nullptr;
    if (avformat_open_input(&format, QFile::encodeName(path).constData(), nullptr, nullptr) < 0)
        return out;
    avformat_find_stream_info(format, nullptr);
    const int index = av_find_best_stream(format, AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
    const AVCodec* decoder = index >= 0 ? avcodec_find_decoder(format->streams[index]->codecpar->codec_id) : nullptr;
    AVCodecContext* codec = decoder ? avcodec_alloc_context3(decoder) : nullptr;
    if (codec && avcodec_parameters_to_context(codec, format->streams[index]->codecpar) >= 0 &&
        avcodec_open2(codec, decoder, nullptr) >= 0) {
        out.width = codec->width;
        out.height = codec->height;
        AVPacket* packet = av_packet_alloc();
        AVFrame* frame = av_frame_alloc();
        const auto drain = [&] {
            while (avcodec_receive_frame(codec, frame) >= 0) {
                double sum = 0.0;
                for (int y = 0; y < frame->height; ++y)
                    for (int x = 0; x < frame->width; ++x)
                        sum += frame->data[0][y * frame->linesize[0] + x];
                out.luma.push_back(sum / (frame->width * frame->height));
                ++out.frames;
            }
        };
        while (av_read_frame(format, packet) >= 0) {
            if (packet->stream_index == index) {
                while (avcodec_send_packet(codec, packet) == AVERROR(EAGAIN))
                    drain(); // the decoder's output is full: take its frames, then the packet fits
                drain();
            }
            av_packet_unref(packet);
        }
        avcodec_send_packet(codec, nullptr);
        drain();
        av_frame_free(&frame);
        av_packet_free(&packet);
    }
    avcodec_free_context(&codec);
    avformat_close_input(&format);
    return out;
}

QImage grey(QSize size, int level)
{
    QImage image(size, QImage::Format_ARGB32);
    image.fill(QColor(level, level, level));
    return image;
}

/// A small simulated run (no model): 40 neurons, 400 frames.
QString simulatedRun(const QTemporaryDir& dir)
{
    ExperimentConfig config;
    config.dataset = "movie";
    config.simulation.nNeurons = 40;
    config.simulation.nFrames = 400;
    config.simulation.startFrame = -50;
    config.simulation.params = {{10, 1, 1}, {10, 2, 1}, {10, 1, 2}, {10, 2, 2}};
    const RunFolder folder(dir.filePath("run").toStdString());
    std::filesystem::create_directories(folder.path());
    saveConfigFile(config, folder.configPath());
    saveDataset(simulate(config), folder.datasetPath());
    return QString::fromStdString(folder.path());
}

/// Shows `window` at a size where every panel is drawn and opens a new simulated run in it.
bool openSimulated(StudioWindow& window, const QTemporaryDir& dir)
{
    window.resize(1400, 900);
    window.show();
    return window.openRun(simulatedRun(dir));
}

int pngFrames(const QString& folder)
{
    return QDir(folder).entryList({"frame_*.png"}, QDir::Files).size();
}

} // namespace

class TestMovie : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName("PlexusTest");
        QSettings().clear();
        QSettings().setValue("tourSeen", true);
    }

    void mp4HoldsEveryFrameAtAnEvenSize()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("ramp.mp4");
        MovieWriter writer;
        QString error;
        QVERIFY2(writer.open(path, QSize(321, 241), 10, &error), qPrintable(error));
        QCOMPARE(writer.size(), QSize(320, 240));
        for (int k = 0; k < 12; ++k) // a ramp from black to white; one frame of another size, fitted
            QVERIFY2(writer.addFrame(grey(k == 5 ? QSize(100, 50) : QSize(320, 240), k * 20), &error), qPrintable(error));
        QVERIFY(!QFile::exists(path)); // written aside until finished
        QVERIFY2(writer.finish(&error), qPrintable(error));
        QVERIFY(QFile::exists(path) && !QFile::exists(path + ".part"));
        const Decoded movie = decode(path);
        QCOMPARE(movie.frames, 12);
        QCOMPARE(movie.width, 320);
        QCOMPARE(movie.height, 240);
        QVERIFY2(movie.luma.front() < 40 && movie.luma.back() > 200,
                 qPrintable(QString("luma %1 … %2").arg(movie.luma.front()).arg(movie.luma.back())));
        for (int k = 1; k < 12; ++k)
            if (k != 5 && k != 6)
                QVERIFY(movie.luma[k] > movie.luma[k - 1]);
    }

    void pngFramesGoInAFolderThatIsNotOverwritten()
    {
        QTemporaryDir dir;
        const QString folder = dir.filePath("frames");
        MovieWriter writer;
        QString error;
        QVERIFY2(writer.open(folder, QSize(64, 48), 5, &error), qPrintable(error));
        for (int k = 0; k < 3; ++k)
            QVERIFY2(writer.addFrame(grey(QSize(64, 48), 100), &error), qPrintable(error));
        QVERIFY2(writer.finish(&error), qPrintable(error));
        QCOMPARE(pngFrames(folder), 3);
        QCOMPARE(QImage(folder + "/frame_00003.png").size(), QSize(64, 48));
        MovieWriter again;
        QVERIFY(!again.open(folder, QSize(64, 48), 5, &error));
        QVERIFY2(error.contains(folder) && error.contains("already holds frames"), qPrintable(error));
    }

    void badRequestsAreRefusedAndNothingIsLost()
    {
        QTemporaryDir dir;
        QString error;
        MovieWriter avi;
        QVERIFY(!avi.open(dir.filePath("movie.avi"), QSize(320, 240), 10, &error));
        QVERIFY2(error.contains("movie.avi") && error.contains(".mp4"), qPrintable(error));
        MovieWriter tiny;
        QVERIFY(!tiny.open(dir.filePath("tiny.mp4"), QSize(8, 8), 10, &error));
        QVERIFY2(error.contains("16 × 16"), qPrintable(error));
        MovieWriter nowhere;
        QVERIFY(!nowhere.open("/proc/plexus/never.mp4", QSize(320, 240), 10, &error));
        QVERIFY2(error.contains("/proc/plexus/never.mp4"), qPrintable(error));
        // An abandoned movie leaves the older one of that name as it was, and no partial file.
        const QString path = dir.filePath("kept.mp4");
        {
            QFile older(path);
            QVERIFY(older.open(QIODevice::WriteOnly));
            older.write("older movie");
        }
        {
            MovieWriter abandoned;
            QVERIFY2(abandoned.open(path, QSize(64, 64), 10, &error), qPrintable(error));
            QVERIFY(abandoned.addFrame(grey(QSize(64, 64), 50), &error));
        }
        QVERIFY(!QFile::exists(path + ".part"));
        QFile kept(path);
        QVERIFY(kept.open(QIODevice::ReadOnly));
        QCOMPARE(kept.readAll(), QByteArray("older movie"));
        MovieWriter empty;
        QVERIFY(empty.open(dir.filePath("empty.mp4"), QSize(64, 64), 10, &error));
        QVERIFY(!empty.finish(&error));
        QVERIFY2(error.contains("no frames"), qPrintable(error));
        QVERIFY(!QFile::exists(dir.filePath("empty.mp4")) && !QFile::exists(dir.filePath("empty.mp4.part")));
    }

    void studioRecordsThePlayback()
    {
        QTemporaryDir dir;
        StudioWindow window;
        QVERIFY(openSimulated(window, dir));
        QTRY_VERIFY(window.playback()->frames() > 0);
        window.playback()->setFrame(7);
        MovieRequest request;
        request.panel = "activity";
        request.training = false;
        request.first = 0;
        request.last = 300;
        request.step = 100;
        request.options.path = dir.filePath("playback");
        request.options.pixels = QSize(640, 360);
        QString error;
        QVERIFY2(window.recordMovie(request, &error), qPrintable(error));
        QCOMPARE(pngFrames(request.options.path), 4); // frames 0, 100, 200, 300
        QCOMPARE(window.playback()->frame(), 7);       // the shown frame is back
        const QImage first(request.options.path + "/frame_00001.png"), last(request.options.path + "/frame_00004.png");
        QCOMPARE(first.size(), QSize(640, 360));
        QVERIFY(first != last); // the frame cursor moved
        request.first = 350;
        request.last = 10; // a backwards range is refused with the frames it expected
        request.options.path = dir.filePath("backwards.mp4");
        QVERIFY(!window.recordMovie(request, &error));
        QVERIFY2(error.contains("350") && error.contains(QString::number(window.playback()->frames() - 1)), qPrintable(error));
        QVERIFY(!QFile::exists(request.options.path));
    }

    void studioRecordsTheTrainingUntilItStops()
    {
        QTemporaryDir dir;
        StudioWindow window;
        QVERIFY(openSimulated(window, dir));
        MovieRequest request;
        request.panel = "training";
        request.options.path = dir.filePath("training.mp4");
        request.options.pixels = QSize(480, 320);
        QString error;
        QVERIFY2(window.recordMovie(request, &error), qPrintable(error));
        MovieRecorder* recorder = window.movieRecorder();
        QVERIFY(recorder->recording());
        QVERIFY(!window.recordMovie(request, &error)); // one recording at a time
        QVERIFY2(error.contains("already"), qPrintable(error));
        window.controller()->train();
        QTRY_VERIFY_WITH_TIMEOUT(recorder->frames() >= 3, 120000);
        window.controller()->stop();
        QTRY_VERIFY_WITH_TIMEOUT(!recorder->recording(), 60000); // the training stopped: the movie is written
        const Decoded movie = decode(request.options.path);
        QVERIFY2(movie.frames >= 3, qPrintable(QString::number(movie.frames)));
        QCOMPARE(movie.width, 480);
    }

    void closingTheWindowWritesTheMovieBeingRecorded()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("closed.mp4");
        {
            StudioWindow window;
            QVERIFY(openSimulated(window, dir));
            MovieRequest request;
            request.panel = "connectivity";
            request.options.path = path;
            request.options.pixels = QSize(320, 240);
            QString error;
            QVERIFY2(window.recordMovie(request, &error), qPrintable(error));
            window.controller()->train();
            QTRY_VERIFY_WITH_TIMEOUT(window.movieRecorder()->frames() >= 2, 120000);
            window.close();
        }
        QVERIFY(QFile::exists(path));
        QVERIFY(decode(path).frames >= 2);
    }
};

QTEST_MAIN(TestMovie)
#include "test_movie.moc"
