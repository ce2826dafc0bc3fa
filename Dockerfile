# syntax=docker/dockerfile:1
# iamlint's container image: a static (musl) binary on Alpine, run as a non-root user.
#
#   docker build -t iamlint .
#   docker run --rm -v "$PWD:/src" iamlint check .
#
# Alpine rather than scratch: GitLab CI and other runners start a shell in the job's image
# (README.md, "GitLab CI"). .github/workflows/release.yml publishes it as
# ghcr.io/iamlint/iamlint for linux/amd64 and linux/arm64.

# The minimum Rust of Cargo.toml (`rust-version`), so every image build proves it still
# builds iamlint; tests/integration/packaging.rs keeps the two equal.
ARG RUST_VERSION=1.88
ARG ALPINE_VERSION=3.22

FROM rust:${RUST_VERSION}-alpine${ALPINE_VERSION} AS build
# A C compiler and the C runtime to link statically: the allocator, mimalloc, is C.
RUN apk add --no-cache gcc musl-dev
WORKDIR /build
COPY . .
# Rust's musl targets link statically by default; said explicitly so a distribution toolchain
# that defaults otherwise cannot give a binary that needs a loader.
ENV RUSTFLAGS="-C target-feature=+crt-static"
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/build/target \
    cargo build --release --locked \
    && cp target/release/iamlint /usr/local/bin/iamlint \
    && /usr/local/bin/iamlint --version

FROM alpine:${ALPINE_VERSION}
LABEL org.opencontainers.image.title="iamlint" \
      org.opencontainers.image.description="Static analyzer and linter for AWS IAM policies in Terraform, CloudFormation and JSON" \
      org.opencontainers.image.source="https://github.com/iamlint/iamlint" \
      org.opencontainers.image.licenses="MIT OR Apache-2.0"
# A fixed uid, not root: the checked repository is untrusted input.
RUN adduser -D -H -u 10001 -s /sbin/nologin iamlint
COPY --from=build /usr/local/bin/iamlint /usr/local/bin/iamlint
USER 10001:10001
WORKDIR /src
ENTRYPOINT ["iamlint"]
CMD ["check", "."]
