# syntax=docker/dockerfile:1
#
# ScratchGPT for NVIDIA GPUs: the command line on DJL's CUDA libtorch (2.7.1 for CUDA 12.8), fetched while the image
# is built, so that the container starts offline. The host needs an NVIDIA driver for CUDA 12.8 or newer and the
# NVIDIA Container Toolkit (for --gpus).
#
#   docker build -t scratchgpt .
#   docker run --rm --gpus all -v "$PWD/models:/app/models" -v "$PWD/datasets:/app/datasets" \
#       scratchgpt train --preset shakespeare-char
#
# Versions are pinned by tag: the JDK and JRE by their full Temurin version, CUDA by its full version, Maven by the
# wrapper (.mvn/wrapper). Digests are not pinned: they could not be looked up where this file was written (no access
# to Docker Hub). To pin them, append @sha256:... from `docker buildx imagetools inspect IMAGE:TAG` to each tag.
# The apt packages below come from the pinned Ubuntu release; their exact versions are not pinned, since Ubuntu
# drops superseded versions from its archive and the build would break.
ARG JDK_IMAGE=eclipse-temurin:17.0.20_8-jdk-noble
ARG JRE_IMAGE=eclipse-temurin:17.0.20_8-jre-noble
ARG CUDA_IMAGE=nvidia/cuda:12.8.1-runtime-ubuntu24.04

# ---- build: the Maven wrapper packages the jar and copies its dependencies to target/lib
FROM ${JDK_IMAGE} AS build
WORKDIR /src
COPY mvnw pom.xml ./
COPY .mvn .mvn
# The dependencies in a layer of their own, so that a change to the sources does not fetch them again.
RUN ./mvnw -B -q dependency:go-offline
COPY src/main src/main
# The image runs on the CUDA libtorch only, and DJL uses the CPU natives whenever their jar is on the classpath.
RUN ./mvnw -B -q -Dmaven.test.skip=true package \
 && rm target/lib/pytorch-native-cpu-*.jar

# ---- the Java runtime, copied into the CUDA image below (Temurin's way of adding a JRE to another base image)
FROM ${JRE_IMAGE} AS jre

# ---- runtime: CUDA 12.8's libraries, a Java 17 runtime, the app and DJL's CUDA libtorch
FROM ${CUDA_IMAGE}
ENV JAVA_HOME=/opt/java/openjdk
COPY --from=jre /opt/java/openjdk /opt/java/openjdk
# LANG: Java 17 writes text in the locale's encoding, and without one a sample's non-ASCII letters would print as ?.
ENV PATH="/opt/java/openjdk/bin:${PATH}" \
    LANG=C.UTF-8

# Fonts: the loss curves (loss.png) are drawn with Java's font rendering, which needs fontconfig and a font.
RUN apt-get update \
 && apt-get install -y --no-install-recommends fontconfig fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*

# A user of its own, not root. uid 1000 is the first user of most Linux machines, so what it writes into the mounted
# models/ and datasets/ belongs to you; build with --build-arg UID=$(id -u) if your uid differs. (Ubuntu's image
# already has a user 1000, ubuntu: it makes way.)
ARG UID=1000
RUN userdel --remove ubuntu 2>/dev/null || true \
 && useradd --uid "${UID}" --create-home --shell /usr/sbin/nologin scratchgpt \
 && mkdir -p /app/models /app/datasets /opt/djl \
 && chown scratchgpt: /app/models /app/datasets /opt/djl
COPY --from=build /src/target/scratchgpt.jar /app/scratchgpt.jar
COPY --from=build /src/target/lib /app/lib

# DJL keeps libtorch in its cache folder, and takes the build PYTORCH_FLAVOR names: CUDA 12.8.
ENV DJL_CACHE_DIR=/opt/djl \
    PYTORCH_FLAVOR=cu128
USER scratchgpt
WORKDIR /app
# Running the app once (scratchgpt devices loads the engine) makes DJL download the CUDA libtorch into its cache now.
# There is no GPU or driver while an image is built, so loading it may fail after the download: the download is what
# this step is for, and the test after || says whether it arrived.
RUN java -cp "/app/scratchgpt.jar:/app/lib/*" org.scratchgpt.cli.ScratchGpt devices \
 || test -f /opt/djl/pytorch/2.7.1-cu128-linux-x86_64/libtorch.so
# From here on DJL never reaches for the network.
ENV DJL_OFFLINE=true
# As the launcher: keep freed memory for reuse instead of faulting it in again at every step (docs/benchmarks.md).
ENV MALLOC_TRIM_THRESHOLD_=17179869184 MALLOC_TOP_PAD_=268435456 MALLOC_MMAP_THRESHOLD_=33554432

VOLUME ["/app/models", "/app/datasets"]
# The heap may take half the container's memory; libtorch's own memory is outside it. The classpath is written out,
# as the launcher does: the jar names none (see pom.xml). Java expands lib/* itself.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=50", "-cp", "/app/scratchgpt.jar:/app/lib/*", "org.scratchgpt.cli.ScratchGpt"]
CMD ["--help"]
