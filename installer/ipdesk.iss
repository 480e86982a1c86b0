; Inno Setup 6 script: per-user installer of dist\ipdesk\ (built by installer\build.py).
;
;   python installer\build.py
;   iscc installer\ipdesk.iss              → dist\ipdesk-<version>-setup.exe
;
; No administrator rights: installs into %LOCALAPPDATA%\Programs\ipdesk. The user's data
; (%LOCALAPPDATA%\ipdesk: database, backups, settings) is never touched by install or uninstall.

; The version comes from pyproject.toml via build\installer\version.iss (written by build.py);
; `iscc /DAppVersion=1.2.3 installer\ipdesk.iss` overrides it.
#ifndef AppVersion
  #if FileExists(AddBackslash(SourcePath) + "..\build\installer\version.iss")
    #include "..\build\installer\version.iss"
  #else
    #error "Run python installer\build.py first (it writes build\installer\version.iss), or pass /DAppVersion=x.y.z"
  #endif
#endif

; Inno Setup has no official Simplified Chinese: the project ships its own message file next to this script
; (installer\README.md).
#define ChineseIsl AddBackslash(SourcePath) + "ChineseSimplified.isl"
#if !FileExists(ChineseIsl)
  #error "installer\ChineseSimplified.isl is missing: it is part of the repository"
#endif

#define AppName "知识产权行政保护工作台"
#define AppExe "ipdesk.exe"

[Setup]
; A fixed AppId: upgrades replace the same installation instead of adding a second one.
AppId={{6F3B2E8C-5A41-4C7E-9D2B-1E0A7C4B9F31}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=ipdesk
VersionInfoVersion={#AppVersion}
VersionInfoProductName={#AppName}
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=
DefaultDirName={localappdata}\Programs\ipdesk
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
DisableDirPage=auto
UsePreviousAppDir=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir=..\dist
OutputBaseFilename=ipdesk-{#AppVersion}-setup
#if FileExists(AddBackslash(SourcePath) + "..\build\installer\ipdesk.ico")
SetupIconFile=..\build\installer\ipdesk.ico
#endif
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes
ShowLanguageDialog=no

[Languages]
Name: "chs"; MessagesFile: "{#ChineseIsl}"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[Files]
Source: "..\dist\ipdesk\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; An upgrade must not leave the previous version's libraries next to the new ones.
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"
Name: "{group}\{cm:UninstallProgram,{#AppName}}"; Filename: "{uninstallexe}"
Name: "{userdesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Only what the program itself left in its install folder; %LOCALAPPDATA%\ipdesk (the data) stays.
Type: filesandordirs; Name: "{app}\_internal"
Type: dirifempty; Name: "{app}"
