"""Thailand's 77 provinces (76 and Bangkok), in Thai and English, for the hub's grouping of
stations by province. A key is the English name in lower case with underscores.

English names follow the Royal Thai General System as the provinces' own sites spell them
(Chon Buri, Buri Ram, Lop Buri...); province_key also takes the one-word spellings seen
on signs and in settings (Chonburi, Buriram), a leading จังหวัด / จ., and กรุงเทพฯ.
"""

import re

PROVINCES = (
    ("bangkok", "กรุงเทพมหานคร", "Bangkok"),
    ("krabi", "กระบี่", "Krabi"),
    ("kanchanaburi", "กาญจนบุรี", "Kanchanaburi"),
    ("kalasin", "กาฬสินธุ์", "Kalasin"),
    ("kamphaeng_phet", "กำแพงเพชร", "Kamphaeng Phet"),
    ("khon_kaen", "ขอนแก่น", "Khon Kaen"),
    ("chanthaburi", "จันทบุรี", "Chanthaburi"),
    ("chachoengsao", "ฉะเชิงเทรา", "Chachoengsao"),
    ("chon_buri", "ชลบุรี", "Chon Buri"),
    ("chai_nat", "ชัยนาท", "Chai Nat"),
    ("chaiyaphum", "ชัยภูมิ", "Chaiyaphum"),
    ("chumphon", "ชุมพร", "Chumphon"),
    ("chiang_rai", "เชียงราย", "Chiang Rai"),
    ("chiang_mai", "เชียงใหม่", "Chiang Mai"),
    ("trang", "ตรัง", "Trang"),
    ("trat", "ตราด", "Trat"),
    ("tak", "ตาก", "Tak"),
    ("nakhon_nayok", "นครนายก", "Nakhon Nayok"),
    ("nakhon_pathom", "นครปฐม", "Nakhon Pathom"),
    ("nakhon_phanom", "นครพนม", "Nakhon Phanom"),
    ("nakhon_ratchasima", "นครราชสีมา", "Nakhon Ratchasima"),
    ("nakhon_si_thammarat", "นครศรีธรรมราช", "Nakhon Si Thammarat"),
    ("nakhon_sawan", "นครสวรรค์", "Nakhon Sawan"),
    ("nonthaburi", "นนทบุรี", "Nonthaburi"),
    ("narathiwat", "นราธิวาส", "Narathiwat"),
    ("nan", "น่าน", "Nan"),
    ("bueng_kan", "บึงกาฬ", "Bueng Kan"),
    ("buri_ram", "บุรีรัมย์", "Buri Ram"),
    ("pathum_thani", "ปทุมธานี", "Pathum Thani"),
    ("prachuap_khiri_khan", "ประจวบคีรีขันธ์", "Prachuap Khiri Khan"),
    ("prachin_buri", "ปราจีนบุรี", "Prachin Buri"),
    ("pattani", "ปัตตานี", "Pattani"),
    ("phra_nakhon_si_ayutthaya", "พระนครศรีอยุธยา", "Phra Nakhon Si Ayutthaya"),
    ("phayao", "พะเยา", "Phayao"),
    ("phang_nga", "พังงา", "Phangnga"),
    ("phatthalung", "พัทลุง", "Phatthalung"),
    ("phichit", "พิจิตร", "Phichit"),
    ("phitsanulok", "พิษณุโลก", "Phitsanulok"),
    ("phetchaburi", "เพชรบุรี", "Phetchaburi"),
    ("phetchabun", "เพชรบูรณ์", "Phetchabun"),
    ("phrae", "แพร่", "Phrae"),
    ("phuket", "ภูเก็ต", "Phuket"),
    ("maha_sarakham", "มหาสารคาม", "Maha Sarakham"),
    ("mukdahan", "มุกดาหาร", "Mukdahan"),
    ("mae_hong_son", "แม่ฮ่องสอน", "Mae Hong Son"),
    ("yasothon", "ยโสธร", "Yasothon"),
    ("yala", "ยะลา", "Yala"),
    ("roi_et", "ร้อยเอ็ด", "Roi Et"),
    ("ranong", "ระนอง", "Ranong"),
    ("rayong", "ระยอง", "Rayong"),
    ("ratchaburi", "ราชบุรี", "Ratchaburi"),
    ("lop_buri", "ลพบุรี", "Lop Buri"),
    ("lampang", "ลำปาง", "Lampang"),
    ("lamphun", "ลำพูน", "Lamphun"),
    ("loei", "เลย", "Loei"),
    ("si_sa_ket", "ศรีสะเกษ", "Si Sa Ket"),
    ("sakon_nakhon", "สกลนคร", "Sakon Nakhon"),
    ("songkhla", "สงขลา", "Songkhla"),
    ("satun", "สตูล", "Satun"),
    ("samut_prakan", "สมุทรปราการ", "Samut Prakan"),
    ("samut_songkhram", "สมุทรสงคราม", "Samut Songkhram"),
    ("samut_sakhon", "สมุทรสาคร", "Samut Sakhon"),
    ("sa_kaeo", "สระแก้ว", "Sa Kaeo"),
    ("saraburi", "สระบุรี", "Saraburi"),
    ("sing_buri", "สิงห์บุรี", "Sing Buri"),
    ("sukhothai", "สุโขทัย", "Sukhothai"),
    ("suphan_buri", "สุพรรณบุรี", "Suphan Buri"),
    ("surat_thani", "สุราษฎร์ธานี", "Surat Thani"),
    ("surin", "สุรินทร์", "Surin"),
    ("nong_khai", "หนองคาย", "Nong Khai"),
    ("nong_bua_lam_phu", "หนองบัวลำภู", "Nong Bua Lam Phu"),
    ("ang_thong", "อ่างทอง", "Ang Thong"),
    ("amnat_charoen", "อำนาจเจริญ", "Amnat Charoen"),
    ("udon_thani", "อุดรธานี", "Udon Thani"),
    ("uttaradit", "อุตรดิตถ์", "Uttaradit"),
    ("uthai_thani", "อุทัยธานี", "Uthai Thani"),
    ("ubon_ratchathani", "อุบลราชธานี", "Ubon Ratchathani"),
)
PROVINCE_KEYS = tuple(key for key, _th, _en in PROVINCES)
NAMES = {key: (th, en) for key, th, en in PROVINCES}
# Other names people write for a few provinces.
_ALIASES = {
    "กรุงเทพ": "bangkok",
    "กรุงเทพฯ": "bangkok",
    "กทม": "bangkok",
    "กทม.": "bangkok",
    "bangkokmetropolis": "bangkok",
    "krungthepmahanakhon": "bangkok",
    "ayutthaya": "phra_nakhon_si_ayutthaya",
    "อยุธยา": "phra_nakhon_si_ayutthaya",
    "korat": "nakhon_ratchasima",
    "โคราช": "nakhon_ratchasima",
    "sisaket": "si_sa_ket",
    "phangnga": "phang_nga",
}
_PREFIX = re.compile(r"^(จังหวัด|จ\.\s*|changwat\s+|province\s+of\s+)", re.IGNORECASE)


def _folded(text):
    text = _PREFIX.sub("", text.strip())
    return re.sub(r"[\s\-_']+", "", text).lower()


_LOOKUP = {
    **{_folded(th): key for key, th, _en in PROVINCES},
    **{_folded(en): key for key, _th, en in PROVINCES},
    **{_folded(key): key for key in PROVINCE_KEYS},
    **{_folded(alias): key for alias, key in _ALIASES.items()},
}


def province_key(text):
    """The key of a province named in Thai or English (or its key), else None."""
    if not isinstance(text, str) or not text.strip() or len(text) > 80:
        return None
    return _LOOKUP.get(_folded(text))


def province_name(key, lang="th"):
    """A province's name in Thai ('th') or English; the key itself when unknown."""
    th, en = NAMES.get(key, (key, key))
    return th if lang == "th" else en
