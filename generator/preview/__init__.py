"""The preview: the build in a loop, served from memory, reloading the browser on save."""
