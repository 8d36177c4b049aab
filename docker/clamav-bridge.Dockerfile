# The scan bridge of the ClamAV service on Cloud Run (terraform/modules/mdraft/clamav.tf): Node 24 runs the
# TypeScript sources directly; the bridge imports nothing from node_modules. cloudbuild.yaml builds and pushes it
# (step clamav-image, _IMAGE_REPOSITORY); test/cloudbuild.test.ts runs the files copied here on their own. By hand,
# from the repository root:
#   gcloud builds submit --tag REGION-docker.pkg.dev/PROJECT/REPO/clamav-bridge:TAG -f docker/clamav-bridge.Dockerfile .
# (or docker build -f docker/clamav-bridge.Dockerfile -t … . && docker push …), then set clamav_bridge_image.
FROM node:24-slim
WORKDIR /app
COPY package.json ./
COPY functions/clamav-bridge.ts ./functions/
COPY shared/adapters/clamav ./shared/adapters/clamav
COPY shared/service/ports.ts shared/service/logs.ts ./shared/service/
COPY shared/engine/ocr.ts ./shared/engine/
USER node
ENV PORT=8080
EXPOSE 8080
CMD ["node", "functions/clamav-bridge.ts"]
