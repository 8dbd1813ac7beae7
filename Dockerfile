# The connector's image: Spring Boot's layered jar on a Java 17 JRE, running as a non-root user.
#   mvn -DskipTests package && docker build -t seismic-connector:0.1.0 .
# routes/ and config/ are baked in as defaults; the Kubernetes Deployment mounts its ConfigMaps over them.
FROM eclipse-temurin:17-jre AS extract
WORKDIR /build
COPY target/seismic-connector-*.jar app.jar
RUN java -Djarmode=tools -jar app.jar extract --layers --launcher --destination extracted

FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 connector && useradd --system --uid 10001 --gid connector connector
WORKDIR /app
COPY --from=extract /build/extracted/dependencies/ ./
COPY --from=extract /build/extracted/spring-boot-loader/ ./
COPY --from=extract /build/extracted/snapshot-dependencies/ ./
COPY --from=extract /build/extracted/application/ ./
COPY routes/ /app/routes/
COPY config/ /app/config/
RUN mkdir -p /data && chown connector:connector /data
USER 10001
ENV SPRING_PROFILES_ACTIVE=container
EXPOSE 8080
# the serial collector: with a heap this size (75 % of the 768 MiB limit) a sync costs about a tenth less CPU than
# with G1 (docs/performance.md), and its pauses stay in the low hundreds of milliseconds
ENTRYPOINT ["java", "-XX:+UseSerialGC", "org.springframework.boot.loader.launch.JarLauncher"]
