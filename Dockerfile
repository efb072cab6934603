# Placeholder: the CUDA image (multi-stage, pinned versions, non-root, CUDA libtorch fetched at build
# time so the container starts offline) arrives with the CUDA issue. Until then this builds a CPU
# image of the command line:   docker build -t scratchgpt . && docker run --rm scratchgpt --help
FROM maven:3.9.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -q -B dependency:go-offline
COPY src src
RUN mvn -q -B -DskipTests package

FROM eclipse-temurin:17-jre
RUN useradd --create-home scratchgpt
USER scratchgpt
WORKDIR /home/scratchgpt
COPY --from=build /src/target/scratchgpt.jar app/scratchgpt.jar
COPY --from=build /src/target/lib app/lib
ENV DJL_OFFLINE=true
ENTRYPOINT ["java", "-jar", "app/scratchgpt.jar"]
