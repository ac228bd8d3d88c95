#include "plots/movie_writer.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QPainter>

#include <filesystem>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/imgutils.h>
#include <libavutil/opt.h>
#include <libswscale/swscale.h>
}

namespace plexus::ui {

namespace {

QString avError(int code)
{
    char text[AV_ERROR_MAX_STRING_SIZE] = {};
    av_strerror(code, text, sizeof text);
    return QString::fromUtf8(text);
}

QString framePath(const QString& folder, int index)
{
    return QDir(folder).filePath(QString("frame_%1.png").arg(index, 5, 10, QChar('0')));
}

} // namespace

/// The FFmpeg state of an MP4 being written.
struct MovieWriter::Encoder
{
    AVFormatContext* format = nullptr;
    AVCodecContext* codec = nullptr;
    AVStream* stream = nullptr;
    AVFrame* frame = nullptr;
    AVPacket* packet = nullptr;
    SwsContext* convert = nullptr;
    QString temporary;
    bool headerWritten = false;

    ~Encoder()
    {
        sws_freeContext(convert);
        av_packet_free(&packet);
        av_frame_free(&frame);
        avcodec_free_context(&codec);
        if (format) {
            if (format->pb)
                avio_closep(&format->pb);
            avformat_free_context(format);
        }
    }

    bool open(const QString& path, QSize size, int fps, QString* error)
    {
        temporary = path + ".part";
        const QByteArray file = QFile::encodeName(temporary);
        const auto fail = [&](const QString& what) {
            *error = path + ": " + what;
            return false;
        };
        av_log_set_level(AV_LOG_ERROR); // no encoder statistics on the terminal
        if (avformat_alloc_output_context2(&format, nullptr, "mp4", file.constData()) < 0 || !format)
            return fail(QObject::tr("this FFmpeg cannot write MP4 files"));
        const AVCodec* encoder = avcodec_find_encoder_by_name("libx264");
        if (!encoder)
            encoder = avcodec_find_encoder(AV_CODEC_ID_MPEG4);
        if (!encoder)
            return fail(QObject::tr("this FFmpeg has no H.264 or MPEG-4 encoder"));
        stream = avformat_new_stream(format, nullptr);
        codec = avcodec_alloc_context3(encoder);
        if (!stream || !codec)
            return fail(QObject::tr("out of memory starting the movie"));
        codec->width = size.width();
        codec->height = size.height();
        codec->time_base = AVRational{1, fps};
        codec->framerate = AVRational{fps, 1};
        codec->pix_fmt = AV_PIX_FMT_YUV420P;
        codec->gop_size = std::max(1, fps * 2);
        if (encoder->id == AV_CODEC_ID_H264) {
            av_opt_set(codec->priv_data, "crf", "18", 0); // plots: sharp lines and text
            av_opt_set(codec->priv_data, "preset", "medium", 0);
        } else {
            codec->bit_rate = static_cast<int64_t>(size.width()) * size.height() * fps / 2;
        }
        if (format->oformat->flags & AVFMT_GLOBALHEADER)
            codec->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
        int code = avcodec_open2(codec, encoder, nullptr);
        if (code < 0)
            return fail(QObject::tr("cannot start the %1 encoder (%2)").arg(encoder->name, avError(code)));
        avcodec_parameters_from_context(stream->codecpar, codec);
        stream->time_base = codec->time_base;
        code = avio_open(&format->pb, file.constData(), AVIO_FLAG_WRITE);
        if (code < 0)
            return fail(QObject::tr("cannot write here (%1)").arg(avError(code)));
        code = avformat_write_header(format, nullptr);
        if (code < 0)
            return fail(QObject::tr("cannot write the MP4 header (%1)").arg(avError(code)));
        headerWritten = true;
        frame = av_frame_alloc();
        packet = av_packet_alloc();
        if (!frame || !packet)
            return fail(QObject::tr("out of memory starting the movie"));
        frame->format = codec->pix_fmt;
        frame->width = codec->width;
        frame->height = codec->height;
        if (av_frame_get_buffer(frame, 0) < 0)
            return fail(QObject::tr("out of memory starting the movie"));
        // QImage's ARGB32 is B, G, R, A in memory on the little-endian machines Plexus runs on.
        convert = sws_getContext(codec->width, codec->height, AV_PIX_FMT_BGRA, codec->width, codec->height,
                                 codec->pix_fmt, SWS_BICUBIC, nullptr, nullptr, nullptr);
        return convert ? true : fail(QObject::tr("cannot convert frames for the encoder"));
    }

    /// Sends one frame (nullptr: the end) and writes every packet the encoder has ready.
    bool send(const AVFrame* input, const QString& path, QString* error)
    {
        int code = avcodec_send_frame(codec, input);
        while (code >= 0) {
            code = avcodec_receive_packet(codec, packet);
            if (code == AVERROR(EAGAIN) || code == AVERROR_EOF)
                return true;
            if (code < 0)
                break;
            if (packet->duration == 0)
                packet->duration = 1; // one frame: without it the MP4's edit list leaves the last frame out
            av_packet_rescale_ts(packet, codec->time_base, stream->time_base);
            packet->stream_index = stream->index;
            code = av_interleaved_write_frame(format, packet);
        }
        *error = path + ": " + QObject::tr("cannot encode the movie (%1)").arg(avError(code));
        return false;
    }

    bool add(const QImage& image, int64_t index, const QString& path, QString* error)
    {
        if (av_frame_make_writable(frame) < 0) {
            *error = path + ": " + QObject::tr("out of memory encoding the movie");
            return false;
        }
        const uint8_t* source[1] = {image.constBits()};
        const int stride[1] = {static_cast<int>(image.bytesPerLine())};
        sws_scale(convert, source, stride, 0, image.height(), frame->data, frame->linesize);
        frame->pts = index;
        return send(frame, path, error);
    }

    bool finish(const QString& path, QString* error)
    {
        if (!send(nullptr, path, error))
            return false;
        const int code = av_write_trailer(format);
        if (code < 0) {
            *error = path + ": " + QObject::tr("cannot finish the MP4 file (%1)").arg(avError(code));
            return false;
        }
        avio_closep(&format->pb);
        return true;
    }
};

MovieWriter::MovieWriter() = default;

MovieWriter::~MovieWriter()
{
    if (m_encoder && m_open) { // abandoned: the partial file goes, an older movie of that name stays
        const QString temporary = m_encoder->temporary;
        m_encoder.reset();
        QFile::remove(temporary);
    }
}

bool MovieWriter::isVideoPath(const QString& path)
{
    return QFileInfo(path).suffix().compare("mp4", Qt::CaseInsensitive) == 0;
}

bool MovieWriter::isOpen() const
{
    return m_open;
}

bool MovieWriter::open(const QString& path, QSize size, int fps, QString* error)
{
    m_path = path;
    m_frames = 0;
    m_open = false;
    m_encoder.reset();
    const bool video = isVideoPath(path);
    m_size = video ? QSize(size.width() & ~1, size.height() & ~1) : size;
    if (m_size.width() < 16 || m_size.height() < 16 || m_size.width() > 7680 || m_size.height() > 4320 || fps < 1 ||
        fps > 120) {
        *error = QObject::tr("%1: a movie needs 16 × 16 to 7680 × 4320 pixels and 1–120 frames per second, got "
                             "%2 × %3 at %4")
                     .arg(path)
                     .arg(size.width())
                     .arg(size.height())
                     .arg(fps);
        return false;
    }
    if (!video) {
        if (!QFileInfo(path).suffix().isEmpty() && !QFileInfo(path).isDir()) {
            *error = QObject::tr("%1: a movie is an .mp4 file or a folder for numbered PNG frames, not '.%2'")
                         .arg(path, QFileInfo(path).suffix());
            return false;
        }
        return m_open = openFrames(error);
    }
    m_encoder = std::make_unique<Encoder>();
    if (!m_encoder->open(path, m_size, fps, error)) {
        const QString temporary = m_encoder->temporary;
        m_encoder.reset();
        QFile::remove(temporary);
        return false;
    }
    return m_open = true;
}

bool MovieWriter::openFrames(QString* error)
{
    if (!QDir().mkpath(m_path)) {
        *error = QObject::tr("%1: cannot create this folder for the movie's frames").arg(m_path);
        return false;
    }
    if (!QDir(m_path).entryList({"frame_*.png"}, QDir::Files).isEmpty()) {
        *error = QObject::tr("%1: this folder already holds frames (frame_*.png); choose an empty folder").arg(m_path);
        return false;
    }
    return true;
}

QImage MovieWriter::fitted(const QImage& frame) const
{
    QImage canvas(m_size, QImage::Format_ARGB32);
    if (frame.size() == m_size) {
        canvas = frame.convertToFormat(QImage::Format_ARGB32);
        return canvas;
    }
    canvas.fill(background);
    const QImage scaled = frame.scaled(m_size, Qt::KeepAspectRatio, Qt::SmoothTransformation);
    QPainter painter(&canvas);
    painter.drawImage((m_size.width() - scaled.width()) / 2, (m_size.height() - scaled.height()) / 2, scaled);
    return canvas;
}

bool MovieWriter::addFrame(const QImage& frame, QString* error)
{
    if (!m_open) {
        *error = QObject::tr("%1: the movie is not open").arg(m_path);
        return false;
    }
    const QImage image = fitted(frame);
    if (!m_encoder) {
        const QString file = framePath(m_path, m_frames + 1);
        if (!image.save(file, "PNG")) {
            *error = QObject::tr("%1: cannot write this frame").arg(file);
            return false;
        }
    } else if (!m_encoder->add(image, m_frames, m_path, error)) {
        return false;
    }
    ++m_frames;
    return true;
}

bool MovieWriter::finish(QString* error)
{
    if (!m_open) {
        *error = QObject::tr("%1: the movie is not open").arg(m_path);
        return false;
    }
    m_open = false;
    if (m_frames == 0) {
        *error = QObject::tr("%1: no frames were recorded, so no movie was written").arg(m_path);
        if (m_encoder) {
            const QString temporary = m_encoder->temporary;
            m_encoder.reset();
            QFile::remove(temporary);
        }
        return false;
    }
    if (!m_encoder)
        return true;
    const QString temporary = m_encoder->temporary;
    const bool encoded = m_encoder->finish(m_path, error);
    m_encoder.reset();
    if (!encoded) {
        QFile::remove(temporary);
        return false;
    }
    // One rename that replaces an older movie of that name at once: no moment without either.
    std::error_code failed;
    std::filesystem::rename(QFile::encodeName(temporary).toStdString(), QFile::encodeName(m_path).toStdString(),
                            failed);
    if (failed) {
        *error = QObject::tr("%1: cannot put the movie in place (it is in %2)").arg(m_path, temporary);
        return false;
    }
    return true;
}

} // namespace plexus::ui
