"use strict";
// Photos that fit: a phone camera's photo (often 5–10 MB) is shrunk in the browser as soon as it is
// chosen, before the form is sent: longest side 1600 px, JPEG quality 0.8, turned as its EXIF orientation
// says (the canvas keeps no EXIF, so the turn is made in the pixels). Where the photo carries a GPS
// position, it fills the form's empty latitude/longitude (a case form) or its first empty geopoint (a
// register's form). A photo the browser cannot decode (HEIC outside Safari) is sent as it is: the server
// converts it. The server checks every photo again whatever this script did.
(function () {
  var MAX_SIDE = 1600, QUALITY = 0.8;
  var SMALL_ENOUGH = 1024 * 1024; // a JPEG within 1600 px and 1 MB is sent untouched, its EXIF kept
  var EXIF_BYTES = 256 * 1024; // the APP1 segment is at the start of a JPEG and at most 64 KB
  var pending = new WeakMap(); // form -> the promise of its photos being ready

  function each(list, fn) { Array.prototype.forEach.call(list, fn); }

  // --- reading the GPS position from a JPEG's EXIF (APP1 → TIFF → GPS IFD) ------------------------
  function gpsOf(buffer) {
    var view = new DataView(buffer);
    if (view.byteLength < 4 || view.getUint16(0) !== 0xFFD8) { return null; }
    var at = 2;
    while (at + 4 <= view.byteLength && view.getUint8(at) === 0xFF) {
      var marker = view.getUint8(at + 1), length = view.getUint16(at + 2);
      if (marker === 0xDA) { return null; } // the picture itself: no EXIF before it
      if (marker === 0xE1 && at + 10 <= view.byteLength && view.getUint32(at + 4) === 0x45786966) {
        return gpsInTiff(view, at + 10); // "Exif\0\0", then the TIFF header
      }
      at += 2 + length;
    }
    return null;
  }

  function gpsInTiff(view, tiff) {
    try {
      var little = view.getUint16(tiff) === 0x4949; // "II": Intel byte order
      var u16 = function (at) { return view.getUint16(tiff + at, little); };
      var u32 = function (at) { return view.getUint32(tiff + at, little); };
      var entries = function (ifd) {
        var found = {}, count = u16(ifd);
        for (var i = 0; i < count; i++) {
          var entry = ifd + 2 + i * 12;
          found[u16(entry)] = { type: u16(entry + 2), count: u32(entry + 4), at: entry + 8 };
        }
        return found;
      };
      var pointer = entries(u32(4))[0x8825]; // the GPS IFD's offset in IFD0
      if (!pointer) { return null; }
      var gps = entries(u32(pointer.at));
      var angle = function (tag) { // three RATIONALs: degrees, minutes, seconds
        var entry = gps[tag];
        if (!entry || entry.type !== 5 || entry.count !== 3) { return null; }
        var start = u32(entry.at), value = 0;
        for (var i = 0; i < 3; i++) {
          var denominator = u32(start + i * 8 + 4);
          if (!denominator) { return null; }
          value += u32(start + i * 8) / denominator / Math.pow(60, i);
        }
        return value;
      };
      var ref = function (tag) { // one ASCII letter, held in the entry itself
        return gps[tag] ? String.fromCharCode(view.getUint8(tiff + gps[tag].at)) : "";
      };
      var latitude = angle(2), longitude = angle(4);
      if (latitude === null || longitude === null) { return null; }
      if (ref(1) === "S") { latitude = -latitude; }
      if (ref(3) === "W") { longitude = -longitude; }
      if (Math.abs(latitude) > 90 || Math.abs(longitude) > 180) { return null; }
      return { latitude: latitude.toFixed(6), longitude: longitude.toFixed(6) };
    } catch (error) {
      return null; // a cut or odd EXIF: no position, the photo still goes
    }
  }

  function fillPosition(form, position) {
    var pairs = [[form.querySelector("input[name=latitude]"), form.querySelector("input[name=longitude]")]];
    each(form.querySelectorAll("[data-geopoint]"), function (box) {
      var inputs = box.querySelectorAll("input");
      if (inputs.length >= 2) { pairs.push([inputs[0], inputs[1]]); }
    });
    for (var i = 0; i < pairs.length; i++) {
      var lat = pairs[i][0], lon = pairs[i][1];
      if (lat && lon && !lat.value && !lon.value) {
        lat.value = position.latitude; lon.value = position.longitude;
        return;
      }
    }
  }

  // --- shrinking -------------------------------------------------------------------------------------
  function jpegName(name) { return (name.replace(/\.[^.]*$/, "") || "photo") + ".jpg"; }

  function shrink(file) {
    if (typeof createImageBitmap !== "function") { return Promise.resolve(file); }
    return createImageBitmap(file, { imageOrientation: "from-image" }).then(function (bitmap) {
      var scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
      if (scale === 1 && file.type === "image/jpeg" && file.size <= SMALL_ENOUGH) {
        bitmap.close();
        return file;
      }
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      bitmap.close();
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) {
          resolve(blob && blob.size < file.size
            ? new File([blob], jpegName(file.name), { type: "image/jpeg", lastModified: file.lastModified })
            : file);
        }, "image/jpeg", QUALITY);
      });
    }, function () { return file; }); // not decodable here (HEIC): the server converts it
  }

  function prepare(input) {
    var form = input.form, files = Array.prototype.slice.call(input.files || []);
    if (!files.length || typeof DataTransfer !== "function") { return Promise.resolve(); }
    var status = input.parentNode.querySelector("[data-photo-status]");
    if (status) { status.textContent = "正在处理照片…"; }
    return Promise.all(files.map(function (file) {
      var located = file.slice(0, EXIF_BYTES).arrayBuffer().then(function (buffer) {
        var position = gpsOf(buffer);
        if (position && form) { fillPosition(form, position); }
      }, function () {});
      return located.then(function () { return shrink(file); });
    })).then(function (ready) {
      var transfer = new DataTransfer();
      ready.forEach(function (file) { transfer.items.add(file); });
      input.files = transfer.files; // setting it fires no change event
      if (status) { status.textContent = ""; }
      input.dispatchEvent(new CustomEvent("zhenwu:photos-ready", { bubbles: true }));
    });
  }

  each(document.querySelectorAll('form input[type=file][accept^="image"]'), function (input) {
    var status = document.createElement("span");
    status.className = "hint";
    status.setAttribute("data-photo-status", "");
    status.setAttribute("aria-live", "polite");
    input.insertAdjacentElement("afterend", status);
    input.addEventListener("change", function () {
      var form = input.form, before = (form && pending.get(form)) || Promise.resolve();
      var done = before.then(function () { return prepare(input); }).catch(function () {});
      if (form) { pending.set(form, done); }
      done.then(function () { if (form && pending.get(form) === done) { pending.delete(form); } });
    });
  });

  // A form sent while its photos are still being shrunk waits for them, then goes.
  document.addEventListener("submit", function (event) {
    var form = event.target, waiting = pending.get(form);
    if (!waiting) { return; }
    event.preventDefault();
    var submitter = event.submitter;
    waiting.then(function () {
      pending.delete(form);
      if (form.requestSubmit) { form.requestSubmit(submitter || undefined); } else { form.submit(); }
    });
  }, true);
})();
